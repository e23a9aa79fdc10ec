// Builds dist/ only when a source is newer than the last good build, so that
// `npm start` and `npm run cli` do not pay for tsc when nothing changed.
// Plain CommonJS with no dependencies: it runs before anything is compiled.
'use strict';
const { spawnSync } = require('node:child_process');
const { existsSync, readdirSync, statSync, writeFileSync, utimesSync } = require('node:fs');
const { join } = require('node:path');

const ROOT = join(__dirname, '..');
/** What the build reads: the folders tsconfig.build.json includes, its configs, and the installed dependencies' lockfile. */
const INPUT_DIRS = ['apps', 'libs', 'migrations'];
const INPUT_FILES = ['tsconfig.json', 'tsconfig.build.json', 'package.json', 'package-lock.json'];
/** The build leaves tests out, so a changed test needs no build. */
const NOT_BUILT = /\.(spec|int-spec|e2e-spec)\.ts$/;
const STAMP = join(ROOT, 'dist', '.build-stamp');

/** The newest modification time under `path`, directories included (a deleted file changes its directory's). */
function newestMtimeMs(path) {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const entry of readdirSync(path, { withFileTypes: true })) {
    if (entry.isFile() && NOT_BUILT.test(entry.name)) continue;
    newest = Math.max(newest, newestMtimeMs(join(path, entry.name)));
  }
  return newest;
}

function staleReason() {
  if (!existsSync(STAMP)) return 'no build yet';
  const built = statSync(STAMP).mtimeMs;
  for (const input of [...INPUT_DIRS, ...INPUT_FILES]) {
    const path = join(ROOT, input);
    if (existsSync(path) && newestMtimeMs(path) > built) return `${input} changed since the last build`;
  }
  return null;
}

function run(script, args) {
  const result = spawnSync(process.execPath, [require.resolve(script, { paths: [ROOT] }), ...args], {
    cwd: ROOT,
    stdio: 'inherit',
  });
  return result.status ?? 1;
}

const reason = staleReason();
if (reason !== null) {
  process.stderr.write(`modelpulse: building (${reason})\n`);
  // Stamped with the time the build began, so an edit made while tsc runs still counts as newer.
  const began = new Date();
  const status =
    run('typescript/bin/tsc', ['-p', 'tsconfig.build.json']) ||
    run('tsc-alias/dist/bin/index.js', ['-p', 'tsconfig.build.json']);
  if (status !== 0) process.exit(status);
  writeFileSync(STAMP, '');
  utimesSync(STAMP, began, began);
}
