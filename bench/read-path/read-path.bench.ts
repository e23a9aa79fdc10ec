/**
 * Read-path benchmark: the API against a bare node:http server sending the
 * same bytes, in alternating rounds on the same machine, reported as the
 * median ratio of requests per second. Ratios, not absolute figures, so a
 * shared and noisy machine still gives a comparable answer.
 *
 *   npm run bench                 5 rounds of 5 s per side and path
 *   npm run bench -- --quick      3 rounds of 2 s (a smoke run)
 */
import 'reflect-metadata';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NestFactory } from '@nestjs/core';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import autocannon from 'autocannon';
import { loadEnv } from '@modelpulse/config';
import { SeedService } from '@modelpulse/core/catalog';
import { DatabaseServer } from '@modelpulse/database';
import { ApiModule } from '../../apps/api/src/api.module';
import { configureApp, createAdapter } from '../../apps/api/src/configure-app';

const PATHS = ['/v1/models/deepseek-ai/DeepSeek-R1', '/v1/models?limit=20', '/v1/models/Qwen/QwQ-32B/lineage'];
const quick = process.argv.includes('--quick');
const ROUNDS = quick ? 3 : 5;
const SECONDS = quick ? 2 : 5;
const CONNECTIONS = 10;

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

async function requestsPerSecond(url: string): Promise<number> {
  const result = await autocannon({ url, connections: CONNECTIONS, duration: SECONDS });
  if (result.non2xx > 0 || result.errors > 0)
    throw new Error(`${url}: ${result.non2xx} non-2xx, ${result.errors} errors`);
  return result.requests.average;
}

/** A server that answers every request with the same bytes and headers the API sent for one path. */
async function bareServer(body: Buffer, contentType: string): Promise<Server> {
  const server = createServer((_request, response) => {
    response.writeHead(200, { 'content-type': contentType, 'content-length': body.length });
    response.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return server;
}

async function main(): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'modelpulse-bench-'));
  Object.assign(process.env, { MODELPULSE_DATA_DIR: dataDir, LOG_LEVEL: 'error', RATE_LIMIT_DL_PER_MINUTE: '1000000' });
  delete process.env.DATABASE_URL;
  const app = await NestFactory.create<NestFastifyApplication>(ApiModule, createAdapter(loadEnv()), {
    logger: ['error'],
  });
  await configureApp(app);
  await app.init();
  await app.get(SeedService).apply();
  await app.listen(0, '127.0.0.1');
  const apiUrl = await app.getUrl();
  const rows: string[] = [];
  try {
    for (const path of PATHS) {
      const sample = await fetch(apiUrl + path);
      const body = Buffer.from(await sample.arrayBuffer());
      const bare = await bareServer(body, sample.headers.get('content-type') ?? 'application/json');
      const bareUrl = `http://127.0.0.1:${(bare.address() as AddressInfo).port}${path}`;
      const api: number[] = [];
      const baseline: number[] = [];
      for (let round = 0; round < ROUNDS; round++) {
        // Alternate which goes first, so a drift in machine load falls on both sides.
        if (round % 2 === 0) {
          api.push(await requestsPerSecond(apiUrl + path));
          baseline.push(await requestsPerSecond(bareUrl));
        } else {
          baseline.push(await requestsPerSecond(bareUrl));
          api.push(await requestsPerSecond(apiUrl + path));
        }
      }
      await new Promise((resolve) => bare.close(resolve));
      const ratios = api.map((value, i) => value / baseline[i]);
      rows.push(
        `${path.padEnd(40)} ${median(ratios).toFixed(2).padStart(6)}   ${Math.round(median(api))
          .toString()
          .padStart(8)}  ${Math.round(median(baseline)).toString().padStart(8)}   ${body.length}`,
      );
    }
  } finally {
    await app.close();
    await app.get(DatabaseServer).stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
  console.log(
    `read path vs bare node:http with the same bytes: ${ROUNDS} rounds x ${SECONDS} s, ${CONNECTIONS} connections`,
  );
  console.log(
    `${'path'.padEnd(40)} ${'ratio'.padStart(6)}   ${'api rps'.padStart(8)}  ${'bare rps'.padStart(8)}   bytes`,
  );
  for (const row of rows) console.log(row);
  console.log('ratio: median over rounds of api / bare requests per second (goal: 0.7 or more)');
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
