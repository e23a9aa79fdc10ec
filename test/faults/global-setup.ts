import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

/** The fault tests run the built service as real processes, so build it once, as `npm start` does. */
export default function globalSetup(): void {
  const built = spawnSync('npm', ['run', 'build', '--silent'], {
    cwd: join(__dirname, '..', '..'),
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  if (built.status !== 0) throw new Error(`npm run build failed:\n${built.stdout}${built.stderr}`);
}
