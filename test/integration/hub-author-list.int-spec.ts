import { HuggingFaceSource } from '@modelpulse/core/sources';
import { FakeHuggingFace } from '../fakes/fake-hugging-face';

describe('HuggingFaceSource.listByAuthor against the fake hub', () => {
  let hub: FakeHuggingFace;
  let source: HuggingFaceSource;

  const make = (listPageSize: number) =>
    new HuggingFaceSource(
      {
        baseUrl: hub.url,
        token: null,
        requestsPerSecond: 1000,
        concurrency: 2,
        timeoutMs: 2000,
        maxRetries: 1,
        maxWaitMs: 60_000,
        backoffBaseMs: 1000,
        backoffMaxMs: 30_000,
        listPageSize,
        listMaxPages: 1,
      },
      { now: () => new Date('2025-03-01T00:00:00Z'), sleep: () => Promise.resolve(), random: () => 0.5 },
    );

  beforeEach(async () => {
    hub = await FakeHuggingFace.start();
    for (let m = 1; m <= 5; m += 1) {
      hub.addModel({ id: `nous/model-${m}`, downloads: 100 - m, downloadsAllTime: 1000, likes: m });
    }
    hub.addModel({ id: 'other/model-1', downloads: 1000, downloadsAllTime: 1000, likes: 1 });
  });

  afterEach(async () => {
    await source.close();
    await hub.stop();
  });

  it("follows the Link cursor over every page of the author's models, most downloaded first", async () => {
    source = make(2);
    const listed = await source.listByAuthor('nous', 100);
    expect(listed.status === 'ok' ? listed.models.map((m) => m.externalId) : listed).toEqual([
      'nous/model-1',
      'nous/model-2',
      'nous/model-3',
      'nous/model-4',
      'nous/model-5',
    ]);
    // the pages' limit is the page size, not listMaxPages: an author import reads every page
    expect(hub.requests.map((r) => [r.query.get('author'), r.query.get('cursor'), r.query.get('limit')])).toEqual([
      ['nous', null, '2'],
      ['nous', 'Mg', '2'],
      ['nous', 'NA', '2'],
    ]);
    expect(hub.requests[0].query.getAll('expand[]')).toContain('safetensors');
    expect(source.requestCount).toBe(3);
  });

  it('stops at the limit without reading further pages', async () => {
    source = make(2);
    const listed = await source.listByAuthor('nous', 3);
    expect(listed.status === 'ok' ? listed.models.map((m) => m.externalId) : listed).toEqual([
      'nous/model-1',
      'nous/model-2',
      'nous/model-3',
    ]);
    expect(hub.requests).toHaveLength(2);
  });

  it('reports a list that keeps failing as failed', async () => {
    source = make(100);
    hub.failNext(2, { kind: 'reply', reply: { status: 500, body: { error: 'boom' } } });
    expect(await source.listByAuthor('nous', 100)).toEqual({
      status: 'failed',
      error: 'HTTP 500 after 2 attempts (/api/models)',
    });
  });
});
