import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The Dockerfile and compose.yaml cannot be built on the machines this
 * project is tested on (no Docker daemon, no image registry), so this checks
 * what can drift without a build: the entry points they run, the folders the
 * build needs, and the settings they pass.
 */
const ROOT = join(__dirname, '..', '..');
const read = (file: string) => readFileSync(join(ROOT, file), 'utf8');

const dockerfile = read('Dockerfile');
const compose = read('compose.yaml');
const envSource = read('libs/config/src/env.ts');
const configurationDoc = read('docs/configuration.md');

const entryPoints = (text: string) => [...text.matchAll(/dist\/apps\/([a-z-]+)\/src\/main\.js/g)].map((m) => m[1]);

describe('Dockerfile and compose.yaml', () => {
  it('run entry points the build emits', () => {
    const apps = [...new Set([...entryPoints(dockerfile), ...entryPoints(compose)])].sort();
    expect(apps).toEqual(['api', 'standalone', 'worker']);
    for (const app of apps) expect(existsSync(join(ROOT, 'apps', app, 'src', 'main.ts'))).toBe(true);
  });

  it('copy every folder the build compiles, and the lockfile', () => {
    const { include } = JSON.parse(read('tsconfig.build.json')) as { include: string[] };
    for (const folder of include) expect(dockerfile).toMatch(new RegExp(`^COPY ${folder} ${folder}$`, 'm'));
    expect(dockerfile).toMatch(/^COPY package\.json package-lock\.json \.\/$/m);
    expect(dockerfile).toMatch(/^RUN npm ci\b/m);
  });

  it('pass only settings the service reads, each documented', () => {
    const passed = [
      ...[...compose.matchAll(/^ {4}([A-Z][A-Z0-9_]+):/gm)].map((m) => m[1]),
      ...[...dockerfile.matchAll(/^ENV (.+)$/gm)].flatMap((m) =>
        [...m[1].matchAll(/([A-Z][A-Z0-9_]+)=/g)].map((v) => v[1]),
      ),
    ];
    // The PostgreSQL image's own settings are not the service's.
    const ours = [...new Set(passed.filter((name) => !name.startsWith('POSTGRES_') && name !== 'NODE_ENV'))];
    expect(ours).toEqual(expect.arrayContaining(['DATABASE_URL', 'MODELPULSE_ADMIN_TOKEN', 'PUBLIC_URL', 'HOST']));
    for (const name of ours) {
      expect({ name, read: envSource.includes(`'${name}'`) }).toEqual({ name, read: true });
      expect({ name, documented: configurationDoc.includes(`\`${name}\``) }).toEqual({ name, documented: true });
    }
  });
});
