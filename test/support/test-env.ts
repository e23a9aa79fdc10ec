/** Names the global setup hands to the test files through the environment. */
export const TEST_ENV = {
  /** URL of the server's maintenance database, for CREATE/DROP DATABASE. */
  adminUrl: 'MODELPULSE_TEST_ADMIN_URL',
  /** The migrated database every test database is copied from. */
  template: 'MODELPULSE_TEST_TEMPLATE',
  /** Prefix of every database this run creates, so teardown finds them all. */
  prefix: 'MODELPULSE_TEST_PREFIX',
} as const;

export function testEnv(name: keyof typeof TEST_ENV): string {
  const value = process.env[TEST_ENV[name]];
  if (!value) throw new Error(`${TEST_ENV[name]} is unset: run the tests through jest (npm test)`);
  return value;
}

export function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}
