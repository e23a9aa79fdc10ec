import { NestFactory } from '@nestjs/core';
import type { INestApplicationContext } from '@nestjs/common';
import { ModelsService } from '@modelpulse/core/catalog';
import { ImportService } from '@modelpulse/core/sync';
import { parseImportCommand, runImportCommand } from '../../apps/cli/src/import-commands';
import { CliModule } from '../../apps/cli/src/cli.module';
import { FakeHuggingFace } from '../fakes/fake-hugging-face';
import { createTestDatabase, type TestDatabase } from '../support/database';

/** `npm run cli -- import huggingface …` on the CLI's own module, its hub taken from HF_ENDPOINT. */
describe('npm run cli -- import huggingface', () => {
  const saved = { ...process.env };
  let db: TestDatabase;
  let hub: FakeHuggingFace;
  let app: INestApplicationContext;

  beforeAll(async () => {
    db = await createTestDatabase();
    hub = await FakeHuggingFace.start();
    const counters = { downloads: 100, downloadsAllTime: 1000, likes: 1 };
    hub.addModel({ id: 'acme/Rocket-7B', ...counters, cardData: { license: 'apache-2.0' }, safetensorsTotal: 7e9 });
    hub.addModel({ id: 'acme/Rocket-7B-AWQ', ...counters, tags: ['base_model:quantized:acme/Rocket-7B'] });
    hub.addModel({ id: 'acme/Old', ...counters });
    hub.rename('acme/Old', 'acme/New');
    Object.assign(process.env, { HF_ENDPOINT: hub.url, HF_REQUESTS_PER_SECOND: '100', UPSTREAM_MAX_RETRIES: '0' });
    app = await NestFactory.createApplicationContext(CliModule, { logger: ['error'] });
  });

  afterAll(async () => {
    await app.close();
    process.env = saved;
    await hub.stop();
    await db.drop();
  });

  const cli = async (...args: string[]) => {
    const command = parseImportCommand(args);
    const lines: string[] = [];
    const code = await runImportCommand(app.get(ImportService), command, (line) => lines.push(line));
    return { code, lines };
  };

  it('imports models by id from the configured hub, one line each and a summary', async () => {
    expect(await cli('huggingface', 'acme/Rocket-7B-AWQ', 'acme/Rocket-7B', 'acme/Old', 'acme/Gone')).toEqual({
      code: 0,
      lines: [
        'created   acme/Rocket-7B-AWQ',
        'created   acme/Rocket-7B',
        'created   acme/Old → acme/New (renamed on the hub)',
        'gone      acme/Gone',
        '3 created, 0 updated, 0 unchanged, 1 gone, 0 gated, 0 failed; 5 requests to the hub',
      ],
    });
    expect(hub.requests[0].headers['user-agent']).toMatch(/^modelpulse/);
    // 5: one per id, and the new id after the rename's 307. Imported in one batch, the quantization is written after its base and linked to it.
    expect((await app.get(ModelsService).get('acme/Rocket-7B-AWQ')).baseModels).toEqual([
      { id: 'acme/Rocket-7B', relation: 'quantized' },
    ]);
  });

  it("imports an author's models from the list, and exits 1 when one fails", async () => {
    expect(await cli('huggingface', '--author', 'acme')).toEqual({
      code: 0,
      lines: [
        'unchanged acme/New',
        'unchanged acme/Rocket-7B',
        'unchanged acme/Rocket-7B-AWQ',
        '0 created, 0 updated, 3 unchanged, 0 gone, 0 gated, 0 failed; 1 request to the hub',
      ],
    });
    hub.failNext(1, { kind: 'reply', reply: { status: 502, body: 'Bad Gateway' } });
    const failed = await cli('huggingface', '--author', 'acme');
    expect(failed.code).toBe(1);
    expect(failed.lines[0]).toBe(
      "failed    acme: the hub's model list of acme could not be read: HTTP 502 after 1 attempt (/api/models)",
    );
  });
});
