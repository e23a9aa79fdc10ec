// Builds dist/ only when a source is newer than the last good build, so that
// `npm start` and `npm run cli` do not pay for tsc when nothing changed.
// Plain CommonJS with no dependencies: it runs before anything is compiled.
'use strict';
const { spawnSync } = require('node:child_process');
const { existsSync, readFileSync, readdirSync, statSync, writeFileSync, utimesSync } = require('node:fs');
const { join } = require('node:path');

const ROOT = join(__dirname, '..');
/** What the build reads: the folders tsconfig.build.json includes, its configs, and the installed dependencies' lockfile. */
const INPUT_DIRS = ['apps', 'libs', 'migrations'];
const INPUT_FILES = ['tsconfig.json', 'tsconfig.build.json', 'package.json', 'package-lock.json'];
/**
 * The build leaves tests out, so a changed test needs no build; nor do the
 * lint test's fixtures, written into the tree for a few seconds (test/lint).
 */
const NOT_BUILT = /\.(spec|int-spec|e2e-spec|lint-fixture)\.ts$/;
const STAMP = join(ROOT, 'dist', '.build-stamp');

/** Every input file under `path` with its modification time, into `files`. */
function collect(path, relative, files) {
  const stat = statSync(path);
  if (!stat.isDirectory()) {
    files.set(relative, stat.mtimeMs);
    return;
  }
  for (const entry of readdirSync(path, { withFileTypes: true })) {
    if (entry.isFile() && NOT_BUILT.test(entry.name)) continue;
    collect(join(path, entry.name), `${relative}/${entry.name}`, files);
  }
}

function inputs() {
  const files = new Map();
  for (const input of [...INPUT_DIRS, ...INPUT_FILES]) {
    if (existsSync(join(ROOT, input))) collect(join(ROOT, input), input, files);
  }
  return files;
}

/**
 * Why dist/ is stale, or null: a file newer than the stamp, or a file added
 * or removed since (the stamp lists the files it was built from).
 */
function staleReason(files) {
  if (!existsSync(STAMP)) return 'no build yet';
  const built = statSync(STAMP).mtimeMs;
  for (const [file, mtimeMs] of files) {
    if (mtimeMs > built) return `${file.split('/')[0]} changed since the last build`;
  }
  let listed;
  try {
    listed = JSON.parse(readFileSync(STAMP, 'utf8'));
  } catch {
    return 'no list of sources in the last build';
  }
  const current = [...files.keys()].sort();
  if (!Array.isArray(listed) || listed.length !== current.length || listed.some((file, i) => file !== current[i])) {
    const added = current.find((file) => !listed.includes?.(file));
    return added ? `${added} added since the last build` : 'a source removed since the last build';
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

const reason = staleReason(inputs());
if (reason !== null) {
  process.stderr.write(`modelpulse: building (${reason})\n`);
  // Stamped with the time the build began and the files there were, so an edit made while tsc runs still counts.
  const began = new Date();
  const files = [...inputs().keys()].sort();
  const status =
    run('typescript/bin/tsc', ['-p', 'tsconfig.build.json']) ||
    run('tsc-alias/dist/bin/index.js', ['-p', 'tsconfig.build.json']);
  if (status !== 0) process.exit(status);
  writeFileSync(STAMP, JSON.stringify(files));
  utimesSync(STAMP, began, began);
}
