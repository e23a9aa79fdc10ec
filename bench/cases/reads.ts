import { writeFileSync } from 'node:fs';
import autocannon from 'autocannon';
import type { RecordedAnswer } from '../bare-server';
import { alternate, loadAverage, median } from '../lib/measure';
import { startBare, peakRssMb, type Service } from '../lib/processes';
import { medianRatio, ratioOf, type CaseFailure, type CaseResult } from '../lib/results';

export interface ReadPath {
  name: string;
  path: string;
}

/** The public reads the issue names, on one popular model of the dataset and the day `lastDay`. */
export function readPaths(model: string, license: string, lastDay: string, firstDay: string): ReadPath[] {
  return [
    { name: 'trending', path: '/v1/rankings/trending?limit=50' },
    { name: 'trending by licence', path: `/v1/rankings/trending?limit=50&license=${license}` },
    { name: 'trending widget', path: '/embed/trending?limit=10' },
    { name: 'badge svg', path: `/badges/${model}/downloads.svg` },
    { name: 'badge json', path: `/badges/${model}/downloads.json` },
    { name: 'model detail', path: `/v1/models/${model}` },
    { name: 'model list', path: `/v1/models?license=${license}&sort=downloads` },
    { name: 'stats 180 days', path: `/v1/models/${model}/stats?metric=downloads&from=${firstDay}&to=${lastDay}` },
    { name: 'chart svg', path: `/v1/models/${model}/chart.svg?metric=downloads&days=90` },
  ];
}

/** Headers that belong to one connection or one moment, not to the answer. */
const PER_CONNECTION = new Set(['date', 'connection', 'keep-alive', 'transfer-encoding', 'content-length']);

/** What the API answers on each path: the bytes and headers the bare server will send back. */
export async function recordAnswers(apiUrl: string, paths: ReadPath[], file: string): Promise<void> {
  const answers: Record<string, RecordedAnswer> = {};
  for (const { path } of paths) {
    const response = await fetch(apiUrl + path);
    const body = Buffer.from(await response.arrayBuffer());
    if (response.status !== 200)
      throw new Error(`${path} answered ${response.status}: ${body.toString().slice(0, 300)}`);
    const headers: Record<string, string> = {};
    response.headers.forEach((value, name) => {
      if (!PER_CONNECTION.has(name)) headers[name] = value;
    });
    answers[path] = { status: 200, headers, bodyBase64: body.toString('base64') };
  }
  writeFileSync(file, JSON.stringify(answers));
}

interface Load {
  /** Answers a second that were a 200. */
  rps: number;
  p50: number;
  p99: number;
  /** Answers that were not a 200 (a 503 past a deadline, under overload), by status, and failed connections. */
  refused: number;
  statuses: string;
}

/**
 * One round of load. Requests a second count the 200s only; other answers are
 * a figure too (an overloaded API answers 503 past its deadlines), in
 * `details`; a round whose connections fail could not be measured. A round
 * in which nothing answered in time measures 0.
 */
async function load(url: string, connections: number, seconds: number): Promise<Load> {
  const result = await autocannon({ url, connections, duration: seconds });
  const ok = result.statusCodeStats?.['200']?.count ?? result.requests.total - result.non2xx;
  if (result.errors > result.timeouts) {
    throw new Error(`${url}: ${ok} answers of 200, ${result.non2xx} others, ${result.errors} errors`);
  }
  const statuses = Object.entries(result.statusCodeStats ?? {})
    .filter(([status]) => status !== '200')
    .map(([status, { count }]) => `${status}: ${count ?? 0}`)
    .join(', ');
  return {
    rps: ok / result.duration,
    p50: result.latency.p50,
    p99: result.latency.p99,
    refused: result.non2xx + result.timeouts,
    statuses,
  };
}

export interface ReadSettings {
  rounds: number;
  seconds: number;
  connections: number[];
}

/**
 * Each read path at each connection count against the bare server sending the
 * same answer: requests a second and p50/p99 latency, medians of alternating
 * rounds. Then the API's and the bare server's peak RSS over all that load.
 */
export async function readCases(
  api: Service,
  paths: ReadPath[],
  answersFile: string,
  settings: ReadSettings,
): Promise<{ cases: CaseResult[]; failures: CaseFailure[] }> {
  const cases: CaseResult[] = [];
  const failures: CaseFailure[] = [];
  const bare = await startBare(answersFile);
  try {
    for (const connections of settings.connections) {
      for (const { name, path } of paths) {
        const caseName = `read ${name} @${connections}`;
        try {
          // Warm both up (JIT, pools, caches) before anything counts.
          await load(api.url + path, connections, 1);
          await load(bare.url + path, connections, 1);
          const rounds = await alternate(
            settings.rounds,
            () => load(api.url + path, connections, settings.seconds),
            () => load(bare.url + path, connections, settings.seconds),
          );
          const value = median(rounds.measured.map((r) => r.rps));
          const baseline = median(rounds.baseline.map((r) => r.rps));
          cases.push({
            name: caseName,
            value: Math.round(value),
            unit: 'req/s',
            baseline: Math.round(baseline),
            ratio: medianRatio(
              rounds.measured.map((r) => r.rps),
              rounds.baseline.map((r) => r.rps),
            ),
            better: 'higher',
            loadAverage: loadAverage(),
            details: {
              path,
              p50Ms: median(rounds.measured.map((r) => r.p50)),
              p99Ms: median(rounds.measured.map((r) => r.p99)),
              baselineP50Ms: median(rounds.baseline.map((r) => r.p50)),
              baselineP99Ms: median(rounds.baseline.map((r) => r.p99)),
              refused: rounds.measured.reduce((sum, r) => sum + r.refused, 0),
              refusedStatuses: rounds.measured
                .map((r) => r.statuses)
                .filter(Boolean)
                .join('; '),
              rounds: settings.rounds,
              secondsPerRound: settings.seconds,
            },
          });
        } catch (error) {
          failures.push({ name: caseName, error: error instanceof Error ? error.message : String(error) });
        }
      }
    }
    const apiRss = peakRssMb(api.child.pid!);
    const bareRss = peakRssMb(bare.child.pid!);
    cases.push({
      name: 'memory: peak RSS under the read load',
      value: apiRss,
      unit: 'MB',
      baseline: bareRss,
      ratio: ratioOf(apiRss, bareRss),
      better: 'lower',
      loadAverage: loadAverage(),
      details: { target: '< 400 MB' },
    });
  } finally {
    await bare.stop();
  }
  return { cases, failures };
}
