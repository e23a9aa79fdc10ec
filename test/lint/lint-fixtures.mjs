// Lints fixture files with the repository's own ESLint config, in a plain Node process: Jest's module
// sandbox cannot load the ESM eslint.config.mjs (dynamic import needs --experimental-vm-modules).
//
// stdin: JSON { files: [{ path, code }], lint: [path] }, paths relative to the repository root, each
// ending in `.lint-fixture.ts` (git- and lint-ignored). The files are written to disk, because the
// resolver, the typed parser and import-x/no-cycle read imported files from there; those in `lint`
// are linted with ESLint.lintText on one ESLint instance; every file is removed again, whatever
// happens. stdout: JSON [{ path, messages: [{ ruleId, line, message }] }].
import { existsSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { ESLint } from 'eslint';

const repo = resolve(import.meta.dirname, '../..');
const FIXTURE = /\.lint-fixture\.ts$/;

let input = '';
process.stdin.setEncoding('utf8');
for await (const chunk of process.stdin) input += chunk;
const { files, lint } = JSON.parse(input);

const absolute = (path) => {
  const file = resolve(repo, path);
  if (!FIXTURE.test(file) || !file.startsWith(`${repo}/`)) throw new Error(`not a fixture path: ${path}`);
  return file;
};

const written = [];
try {
  for (const { path, code } of files) {
    const file = absolute(path);
    if (!existsSync(dirname(file))) throw new Error(`no folder for fixture ${path}`);
    writeFileSync(file, code);
    written.push(file);
  }
  // ignore: false, so the config's ignore of *.lint-fixture.ts (left-overs of a killed run) does not apply.
  const eslint = new ESLint({ cwd: repo, overrideConfigFile: resolve(repo, 'eslint.config.mjs'), ignore: false });
  const results = [];
  for (const path of lint) {
    const code = files.find((f) => f.path === path).code;
    const [result] = await eslint.lintText(code, { filePath: absolute(path) });
    results.push({
      path,
      messages: result.messages.map(({ ruleId, line, message }) => ({ ruleId, line, message })),
    });
  }
  process.stdout.write(JSON.stringify(results));
} finally {
  for (const file of written) rmSync(file, { force: true });
}
