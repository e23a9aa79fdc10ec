import { REDACTED, secretScrubber, settingSecrets } from './redact';

const none = { adminToken: null, hfToken: null, githubToken: null, databaseUrl: null, redisUrl: null };

describe('secret scrubbing of log lines', () => {
  it('finds the tokens and the passwords inside the database and Redis URLs, as written and decoded', () => {
    expect(
      settingSecrets({
        adminToken: 'admin-secret',
        hfToken: 'hf_abcdef',
        githubToken: null,
        databaseUrl: 'postgres://app:p%40ss%2Fword@db:5432/modelpulse',
        redisUrl: 'redis://:redispass@cache:6379',
      }),
    ).toEqual(['admin-secret', 'hf_abcdef', 'p%40ss%2Fword', 'p@ss/word', 'redispass']);
  });

  it('leaves out values too short to hunt for, and URLs without a password', () => {
    expect(settingSecrets({ ...none, adminToken: 'abc', databaseUrl: 'postgres://app@db/x' })).toEqual([]);
  });

  it('blanks a known secret wherever it stands, also as JSON escapes it', () => {
    const scrub = secretScrubber(['s3cr"et\\x']);
    const line = JSON.stringify({ msg: 'token s3cr"et\\x in a message' });
    expect(scrub(line)).toBe(JSON.stringify({ msg: `token ${REDACTED} in a message` }));
  });

  it('blanks a secret that contains another one whole', () => {
    expect(secretScrubber(['abcd', 'abcdefgh'])('x abcdefgh y abcd')).toBe(`x ${REDACTED} y ${REDACTED}`);
  });

  it('blanks anything shaped like an API key secret and keeps its public prefix', () => {
    const secret = 'mp_0123abcd_' + 'A'.repeat(40) + '-_9';
    expect(secretScrubber([])(`Bearer ${secret}.`)).toBe(`Bearer mp_0123abcd_${REDACTED}.`);
    // A bare prefix is public, and stays.
    expect(secretScrubber([])('key mp_0123abcd made')).toBe('key mp_0123abcd made');
  });
});
