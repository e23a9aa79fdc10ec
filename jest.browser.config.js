/**
 * `npm run test:browser`: the site, widgets and badges in Debian's headless
 * Chromium (CHROMIUM_PATH, default /usr/bin/chromium). Kept out of `npm test`,
 * which must pass on a machine with no browser.
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
  testMatch: ['<rootDir>/test/browser/**/*.browser-spec.ts'],
  // One browser, one app: the cases share them and run in order.
  maxWorkers: 1,
  testTimeout: 60000,
};
