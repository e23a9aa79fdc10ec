/** One run, three sizes of test: *.spec.ts (pure), *.int-spec.ts (real Postgres), *.e2e-spec.ts (HTTP). */
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

/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/apps', '<rootDir>/libs', '<rootDir>/test'],
  testRegex: '\\.(spec|int-spec|e2e-spec)\\.ts$',
  transform: { '^.+\\.ts$': swc },
  globalSetup: '<rootDir>/test/global-setup.ts',
  globalTeardown: '<rootDir>/test/global-teardown.ts',
  // Two cores: Jest and Postgres share them.
  maxWorkers: 2,
  testTimeout: 30000,
};
