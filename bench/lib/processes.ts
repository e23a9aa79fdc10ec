import { spawn, type ChildProcess } from 'node:child_process';
import { openSync, closeSync, readFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { join } from 'node:path';

/** The compiled entry points, next to this file in dist/bench. */
const DIST = join(__dirname, '..', '..');
export const API_MAIN = join(DIST, 'apps', 'api', 'src', 'main.js');
export const BARE_MAIN = join(DIST, 'bench', 'bare-server.js');

export interface Service {
  url: string;
  child: ChildProcess;
  /** Seconds from spawn until it answered. */
  startSeconds: number;
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

function stopper(child: ChildProcess, closeFd?: () => void): () => Promise<void> {
  return async () => {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await exited;
      clearTimeout(timer);
    }
    closeFd?.();
  };
}

/**
 * The API as production runs it (`node dist/apps/api/src/main.js`), on the
 * bench's database, with everything a request pays for on: rate limits (set
 * high, but counting), the access log (one JSON line per request, to
 * `logFile`), metrics. Ready when /health/ready answers 200.
 */
export async function startApi(env: Record<string, string>, logFile: string): Promise<Service> {
  const port = await freePort();
  const fd = openSync(logFile, 'a');
  const started = performance.now();
  const child = spawn(process.execPath, [API_MAIN], {
    env: {
      ...process.env,
      ...env,
      PORT: String(port),
      HOST: '127.0.0.1',
      LOG_LEVEL: 'log',
      LOG_FORMAT: 'json',
    },
    stdio: ['ignore', fd, fd],
  });
  const url = `http://127.0.0.1:${port}`;
  const stop = stopper(child, () => closeSync(fd));
  const deadline = Date.now() + 120_000;
  for (;;) {
    if (child.exitCode !== null) {
      closeSync(fd);
      throw new Error(`the API exited with code ${child.exitCode} while starting (see ${logFile})`);
    }
    try {
      const response = await fetch(`${url}/health/ready`);
      if (response.status === 200) break;
    } catch {
      // Not listening yet.
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`the API did not get ready in 120 s (see ${logFile})`);
    }
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  return { url, child, startSeconds: (performance.now() - started) / 1000, stop };
}

/** The bare node:http server (bare-server.ts) with the recorded answers in `answersFile`, or none (start-up only). */
export async function startBare(answersFile?: string): Promise<Service> {
  const started = performance.now();
  const child = spawn(process.execPath, [BARE_MAIN, ...(answersFile ? [answersFile] : [])], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const port = await new Promise<number>((resolve, reject) => {
    let output = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const match = /listening (\d+)/.exec(output);
      if (match) resolve(Number(match[1]));
    });
    child.once('exit', (code) => reject(new Error(`the bare server exited with code ${code}`)));
  });
  const url = `http://127.0.0.1:${port}`;
  // The same test as the API's: the first answered request.
  await fetch(url).then((r) => r.arrayBuffer());
  return { url, child, startSeconds: (performance.now() - started) / 1000, stop: stopper(child) };
}

/** The highest resident set size of a process so far (VmHWM), in MB. */
export function peakRssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const match = /VmHWM:\s+(\d+) kB/.exec(status);
  if (!match) throw new Error(`no VmHWM in /proc/${pid}/status`);
  return Math.round(Number(match[1]) / 1024);
}
