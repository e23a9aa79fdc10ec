import type { StatsLanded } from '../changes';
import { ModelStatsFolder, SETTLE_WAIT_MS } from './model-stats-folder';
import type { StatsService } from './stats.service';

/**
 * How long a read waits on the fold, with a StatsService that answers when
 * the case says so: a frozen database is a refresh that never comes back.
 */
describe('a read waiting on the pending fold', () => {
  const landing = (modelId: string): StatsLanded => ({
    type: 'stats.landed',
    modelIds: [modelId],
    sources: ['huggingface'],
    fromDay: '2025-02-09',
  });
  const folderWith = (refreshFigures: () => Promise<void>) =>
    new ModelStatsFolder({ refreshFigures } as unknown as StatsService);
  const hanging = () => new Promise<void>(() => undefined);

  afterEach(() => jest.useRealTimers());

  it('answers at once when nothing was written', async () => {
    const folder = folderWith(hanging);
    await expect(folder.settled()).resolves.toBe(true);
  });

  it('waits for a fold that comes back, and says the figures caught up', async () => {
    let finish = () => undefined as void;
    const folder = folderWith(() => new Promise<void>((resolve) => (finish = resolve)));
    folder.onStatsLanded(landing('m1'), { local: true });
    const read = folder.settled();
    finish();
    await expect(read).resolves.toBe(true);
  });

  it('says the figures did not catch up when the fold failed', async () => {
    // Fake timers hold the fold's retry back; the error it logs is the one line this case prints.
    jest.useFakeTimers();
    const folder = folderWith(() => Promise.reject(new Error('connection lost')));
    folder.onStatsLanded(landing('m1'), { local: true });
    await expect(folder.settled()).resolves.toBe(false);
  });

  it('gives up on a fold that hangs after the bound it is given', async () => {
    const folder = folderWith(hanging);
    folder.onStatsLanded(landing('m1'), { local: true });
    await expect(folder.settled(20)).resolves.toBe(false);
  }, 5_000);

  it(`gives up after SETTLE_WAIT_MS (${SETTLE_WAIT_MS} ms) by default, not before`, async () => {
    jest.useFakeTimers();
    const folder = folderWith(hanging);
    folder.onStatsLanded(landing('m1'), { local: true });
    let answered: boolean | undefined;
    const read = folder.settled().then((caughtUp) => (answered = caughtUp));
    await jest.advanceTimersByTimeAsync(SETTLE_WAIT_MS - 1);
    expect(answered).toBeUndefined();
    await jest.advanceTimersByTimeAsync(1);
    await read;
    expect(answered).toBe(false);
  }, 5_000);

  it('bounds a read that starts the fold itself, when the landing was still waiting its turn', async () => {
    jest.useFakeTimers();
    let refreshes = 0;
    const folder = folderWith(() => {
      refreshes++;
      return refreshes === 1 ? Promise.resolve() : hanging();
    });
    folder.onStatsLanded(landing('m1'), { local: true });
    await expect(folder.settled()).resolves.toBe(true);
    // The fold just ran: this landing waits FOLD_EVERY_MS, unless a read starts its fold now.
    folder.onStatsLanded(landing('m2'), { local: true });
    let answered: boolean | undefined;
    const read = folder.settled().then((caughtUp) => (answered = caughtUp));
    await jest.advanceTimersByTimeAsync(SETTLE_WAIT_MS);
    await read;
    expect({ answered, refreshes }).toEqual({ answered: false, refreshes: 2 });
  }, 5_000);
});
