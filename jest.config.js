/**
 * One `npm test`, two projects. "suite": *.spec.ts (pure), *.int-spec.ts (real
 * Postgres), *.e2e-spec.ts (HTTP), in parallel on one shared PostgreSQL.
 * "faults": *.fault-spec.ts, which start their own PostgreSQL cluster and app
 * processes and stop, freeze or kill them; one file at a time, after the suite.
 */
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
      roots: ['<rootDir>/apps', '<rootDir>/libs', '<rootDir>/test'],
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
