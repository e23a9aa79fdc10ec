/**
 * One `npm test`, two projects. "suite": *.spec.ts (pure), *.int-spec.ts (real
 * Postgres), *.e2e-spec.ts (HTTP), in parallel on one shared PostgreSQL.
 * "faults": *.fault-spec.ts, which start their own PostgreSQL cluster and app
 * processes and stop, freeze or kill them; one file at a time, after the suite.
 */
// `--selectProjects` reads every value after it as a project name, so in
// `npx jest --selectProjects suite test/x.spec.ts` the path is taken for a
// project and the whole suite runs (ten minutes on two cores). Say so at once.
const selectAt = process.argv.indexOf('--selectProjects');
if (selectAt !== -1) {
  const values = [];
  for (let i = selectAt + 1; i < process.argv.length && !process.argv[i].startsWith('-'); i += 1) {
    values.push(process.argv[i]);
  }
  const paths = values.filter((value) => /[/.]/.test(value));
  if (paths.length > 0) {
    throw new Error(
      `--selectProjects took ${paths.join(' ')} for project names, which would run the whole project: ` +
        `put the paths first, as in: npx jest ${paths.join(' ')} --selectProjects ${values.filter((v) => !paths.includes(v)).join(' ') || 'suite'}`,
    );
  }
}

const swc = [
  '@swc/jest',
  {
    jsc: {
      parser: { syntax: 'typescript', decorators: true },
      // Rewritten at transform time, so the global setup (plain Node require) resolves them too.
      baseUrl: __dirname,
      paths: {
        '@modelpulse/config': ['libs/config/src'],
        '@modelpulse/database': ['libs/database/src'],
        '@modelpulse/core/*': ['libs/core/src/*'],
      },
      transform: { legacyDecorator: true, decoratorMetadata: true, useDefineForClassFields: false },
      target: 'es2022',
      keepClassNames: true,
    },
    module: { type: 'commonjs' },
  },
];

const common = { testEnvironment: 'node', transform: { '^.+\\.ts$': swc } };

/** @type {import('jest').Config} */
module.exports = {
  // Two cores: Jest and Postgres share them.
  maxWorkers: 2,
  testTimeout: 30000,
  projects: [
    {
      ...common,
      displayName: 'suite',
      roots: ['<rootDir>/apps', '<rootDir>/libs', '<rootDir>/test', '<rootDir>/bench'],
      testRegex: '\\.(spec|int-spec|e2e-spec)\\.ts$',
      globalSetup: '<rootDir>/test/global-setup.ts',
      globalTeardown: '<rootDir>/test/global-teardown.ts',
    },
    {
      ...common,
      displayName: 'faults',
      roots: ['<rootDir>/test/faults'],
      testRegex: '\\.fault-spec\\.ts$',
      runner: 'jest-serial-runner',
      globalSetup: '<rootDir>/test/faults/global-setup.ts',
    },
  ],
};
