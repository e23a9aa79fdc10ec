import { spawn } from 'node:child_process';
import { resolve } from 'node:path';

/**
 * The layering rules of eslint.config.mjs (decision 0007) fire on code that breaks them, and stay
 * quiet on code that keeps them. Fixture files (`*.lint-fixture.ts`, git- and lint-ignored) are
 * written into the real tree, so the config's globs, the elements and the tsconfig path aliases
 * apply as they do to real code, linted with the repository's config by one ESLint instance
 * (test/lint/lint-fixtures.mjs, in a plain Node process: Jest cannot load the ESM config), and
 * removed again.
 *
 * Each found message is [rule id, line, layering rule a-f named at the start of the message].
 * Every message of a file is compared, so a parse error or a stray rule fails the test too.
 */

type Found = [ruleId: string | null, line: number, layering: string | null];
type Fixture = { path: string; code: string };
type Case = Fixture & { name: string; expected: Found[] };
type LintResult = { path: string; messages: { ruleId: string | null; line: number; message: string }[] };

const repo = resolve(__dirname, '../..');
const BOUNDARY = 'boundaries/dependencies';
const CYCLE = 'import-x/no-cycle';
const MUTUAL = 'layering/no-mutual-import';

const lines = (...code: string[]) => `${code.join('\n')}\n`;

/** Files that are imported but not linted. */
const TARGETS: Fixture[] = [
  { path: 'apps/api/src/api-target.lint-fixture.ts', code: "export const apiTarget = 'api';\n" },
  { path: 'apps/cli/src/cli-target.lint-fixture.ts', code: "export const cliTarget = 'cli';\n" },
  { path: 'apps/worker/src/worker-target.lint-fixture.ts', code: "export const workerTarget = 'worker';\n" },
  { path: 'libs/core/src/catalog/catalog-target.lint-fixture.ts', code: "export const catalogTarget = 'catalog';\n" },
  { path: 'libs/core/src/stats/stats-target.lint-fixture.ts', code: "export const statsTarget = 'stats';\n" },
];

const CASES: Case[] = [
  {
    name: '(a) the CLI imports a worker file',
    path: 'apps/cli/src/cli-imports-worker.lint-fixture.ts',
    code: lines(
      "import { workerTarget } from '../../worker/src/worker-target.lint-fixture';",
      'export const imported = [workerTarget];',
    ),
    expected: [[BOUNDARY, 1, 'a']],
  },
  {
    name: '(a) the API imports the worker and the CLI',
    path: 'apps/api/src/api-imports-apps.lint-fixture.ts',
    code: lines(
      "import { workerTarget } from '../../worker/src/worker-target.lint-fixture';",
      "import { cliTarget } from '../../cli/src/cli-target.lint-fixture';",
      'export const imported = [workerTarget, cliTarget];',
    ),
    expected: [
      [BOUNDARY, 1, 'a'],
      [BOUNDARY, 2, 'a'],
    ],
  },
  {
    name: '(a) the standalone app imports the API and the worker, but not the CLI',
    path: 'apps/standalone/src/standalone-imports-apps.lint-fixture.ts',
    code: lines(
      "import { apiTarget } from '../../api/src/api-target.lint-fixture';",
      "import { workerTarget } from '../../worker/src/worker-target.lint-fixture';",
      "import { cliTarget } from '../../cli/src/cli-target.lint-fixture';",
      'export const imported = [apiTarget, workerTarget, cliTarget];',
    ),
    expected: [[BOUNDARY, 3, 'a']],
  },
  {
    name: "(b) libs/database imports core, even a context's index.ts, by alias or relative path",
    path: 'libs/database/src/database-imports-core.lint-fixture.ts',
    code: lines(
      "import * as catalog from '@modelpulse/core/catalog';",
      "import { catalogTarget } from '@modelpulse/core/catalog/catalog-target.lint-fixture';",
      "import * as clock from '../../core/src/clock';",
      'export const imported = [catalog, catalogTarget, clock];',
    ),
    expected: [
      [BOUNDARY, 1, 'b'],
      [BOUNDARY, 2, 'b'],
      [BOUNDARY, 3, 'b'],
    ],
  },
  {
    name: '(c) libs/config imports libs/database, core and an app',
    path: 'libs/config/src/config-imports-layers.lint-fixture.ts',
    code: lines(
      "import * as database from '@modelpulse/database';",
      "import * as clock from '@modelpulse/core/clock';",
      "import { apiTarget } from '../../../apps/api/src/api-target.lint-fixture';",
      'export const imported = [database, clock, apiTarget];',
    ),
    expected: [
      [BOUNDARY, 1, 'c'],
      [BOUNDARY, 2, 'c'],
      [BOUNDARY, 3, 'c'],
    ],
  },
  {
    name: '(d) a core context imports an app',
    path: 'libs/core/src/clock/clock-imports-app.lint-fixture.ts',
    code: lines(
      "import { workerTarget } from '../../../../apps/worker/src/worker-target.lint-fixture';",
      'export const imported = [workerTarget];',
    ),
    expected: [[BOUNDARY, 1, 'd']],
  },
  {
    name: "(e) a context imports another context's file past its index.ts, by import or re-export",
    path: 'libs/core/src/stats/stats-deep-import.lint-fixture.ts',
    code: lines(
      "import { catalogTarget } from '../catalog/catalog-target.lint-fixture';",
      "import { catalogTarget as aliased } from '@modelpulse/core/catalog/catalog-target.lint-fixture';",
      "export { catalogTarget as reexported } from '../catalog/catalog-target.lint-fixture';",
      'export const imported = [catalogTarget, aliased];',
    ),
    expected: [
      [BOUNDARY, 1, 'e'],
      [BOUNDARY, 2, 'e'],
      [BOUNDARY, 3, 'e'],
    ],
  },
  {
    name: "(e) an app imports a context's file past its index.ts",
    path: 'apps/api/src/api-deep-import.lint-fixture.ts',
    code: lines(
      "import { statsTarget } from '@modelpulse/core/stats/stats-target.lint-fixture';",
      'export const imported = [statsTarget];',
    ),
    expected: [[BOUNDARY, 1, 'e']],
  },
  {
    name: "(e) a file directly in libs/core/src imports a context's index.ts, not a file past it",
    path: 'libs/core/src/root.lint-fixture.ts',
    code: lines(
      "import * as catalog from './catalog';",
      "import { catalogTarget } from './catalog/catalog-target.lint-fixture';",
      'export const imported = [catalog, catalogTarget];',
    ),
    expected: [[BOUNDARY, 2, 'e']],
  },
  {
    name: "conforming: a context imports other contexts' index.ts and any file of its own",
    path: 'libs/core/src/stats/stats-conforming.lint-fixture.ts',
    code: lines(
      "import * as catalog from '../catalog';",
      "import * as clock from '@modelpulse/core/clock';",
      "import { statsTarget } from './stats-target.lint-fixture';",
      'export const imported = [catalog, clock, statsTarget];',
    ),
    expected: [],
  },
  {
    name: 'conforming: an app imports the libs and the contexts through their index.ts',
    path: 'apps/worker/src/worker-conforming.lint-fixture.ts',
    code: lines(
      "import * as config from '@modelpulse/config';",
      "import * as database from '@modelpulse/database';",
      "import * as catalog from '@modelpulse/core/catalog';",
      "import { workerTarget } from './worker-target.lint-fixture';",
      'export const imported = [config, database, catalog, workerTarget];',
    ),
    expected: [],
  },
  {
    name: '(f) two files import each other',
    path: 'libs/core/src/stats/cycle-a.lint-fixture.ts',
    code: lines("import { b } from './cycle-b.lint-fixture';", 'export const a = (): unknown => b;'),
    expected: [
      [CYCLE, 1, null],
      [MUTUAL, 1, 'f'],
    ],
  },
  {
    name: '(f) ... seen from the other file too',
    path: 'libs/core/src/stats/cycle-b.lint-fixture.ts',
    code: lines("import { a } from './cycle-a.lint-fixture';", 'export const b = (): unknown => a;'),
    expected: [
      [CYCLE, 1, null],
      [MUTUAL, 1, 'f'],
    ],
  },
  {
    name: '(f) two files import each other for types only: no run-time cycle, but the pair is still refused',
    path: 'libs/core/src/stats/type-cycle-a.lint-fixture.ts',
    code: lines(
      "import type { B } from './type-cycle-b.lint-fixture';",
      'export type A = { b?: B };',
      'export const makeA = (): A => ({});',
    ),
    expected: [[MUTUAL, 1, 'f']],
  },
  {
    name: '(f) ... seen from the file with the value import too',
    path: 'libs/core/src/stats/type-cycle-b.lint-fixture.ts',
    code: lines(
      "import { makeA, type A } from './type-cycle-a.lint-fixture';",
      'export type B = { a?: A };',
      'export const b: B = { a: makeA() };',
    ),
    expected: [[MUTUAL, 1, 'f']],
  },
];

/** Runs test/lint/lint-fixtures.mjs: writes the files, lints the cases with one ESLint, removes the files. */
function lintFixtures(files: Fixture[], lint: string[]): Promise<LintResult[]> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [resolve(__dirname, 'lint-fixtures.mjs')], { cwd: repo });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', fail);
    child.on('close', (code) => {
      if (code === 0) done(JSON.parse(stdout) as LintResult[]);
      else fail(new Error(`lint-fixtures.mjs exited ${code}:\n${stderr}`));
    });
    child.stdin.end(JSON.stringify({ files, lint }));
  });
}

describe('layering lint rules (eslint.config.mjs, decision 0007)', () => {
  const found = new Map<string, Found[]>();

  beforeAll(async () => {
    const results = await lintFixtures(
      [...TARGETS, ...CASES],
      CASES.map((c) => c.path),
    );
    for (const { path, messages } of results) {
      found.set(
        path,
        messages.map(({ ruleId, line, message }) => [ruleId, line, /^\(([a-f])\) /.exec(message)?.[1] ?? null]),
      );
    }
  }, 90_000);

  it.each(CASES)('$name', ({ path, expected }) => {
    expect(found.get(path)).toEqual(expected);
  });
});
