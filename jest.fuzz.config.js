/**
 * `npm run test:fuzz`: every operation of the OpenAPI document under generated
 * hostile input (fast-check), on the real app and PostgreSQL. Kept out of
 * `npm test` for its run time; CI runs it with a fixed seed (CI=true).
 */
// The settings of the "suite" project (transform, global setup), not the list of projects.
const suite = require('./jest.config.js').projects.find((project) => project.displayName === 'suite');
const base = { ...suite };
// Jest takes testMatch or testRegex, not both.
delete base.testRegex;
delete base.displayName;

/** @type {import('jest').Config} */
module.exports = {
  ...base,
  roots: ['<rootDir>/test'],
  testMatch: ['<rootDir>/test/fuzz/**/*.fuzz-spec.ts'],
  maxWorkers: 1,
  // The whole run is one case list: a few minutes on two cores with FUZZ_RUNS=200.
  testTimeout: 20 * 60 * 1000,
};
