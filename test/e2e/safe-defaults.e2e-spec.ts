import type { AddressInfo } from 'node:net';
import { Test } from '@nestjs/testing';
import request from 'supertest';
import { InvalidSettingError } from '@modelpulse/config';
import { startupErrorText } from '@modelpulse/database';
import { ApiModule } from '../../apps/api/src/api.module';
import { listen } from '../../apps/api/src/serve';
import { ADMIN_TOKEN, createTestApp, type TestApp } from '../support/app';

const auth = { Authorization: `Bearer ${ADMIN_TOKEN}` };

/** The script-src directive of a Content-Security-Policy header. */
const scriptSrc = (csp: string | undefined) => /(?:^|;)\s*script-src ([^;]*)/.exec(csp ?? '')?.[1];

describe('safe defaults', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp({ seed: true });
  });
  afterAll(() => t.close());

  it('sends HSTS when PUBLIC_URL is https', async () => {
    const { headers } = await request(t.http).get('/v1/licenses').expect(200);
    expect(headers['strict-transport-security']).toMatch(/^max-age=\d+/);
  });

  it('sends no HSTS when PUBLIC_URL is plain http', async () => {
    const plain = await createTestApp({ env: { PUBLIC_URL: 'http://localhost:3000' } });
    try {
      const { headers } = await request(plain.http).get('/v1/licenses').expect(200);
      expect(headers['strict-transport-security']).toBeUndefined();
      expect(headers['x-frame-options']).toBe('DENY');
    } finally {
      await plain.close();
    }
  });

  it('answers the new key and its secret with Cache-Control: no-store', async () => {
    const response = await request(t.http)
      .post('/v1/admin/api-keys')
      .set(auth)
      .send({ name: 'mirror', scopes: ['stats:ingest'], sources: ['mirror'] })
      .expect(201);
    expect(response.body.secret).toMatch(/^mp_/);
    expect(response.headers['cache-control']).toBe('no-store');
  });

  it('allows inline scripts on /docs only; the site, the API and the embeds have none', async () => {
    const docs = await request(t.http).get('/docs').expect(200);
    expect(scriptSrc(docs.headers['content-security-policy'])).toBe("'self' 'unsafe-inline'");
    for (const path of ['/', '/models/deepseek-ai/DeepSeek-R1', '/v1/models?limit=1', '/nowhere']) {
      const response = await request(t.http).get(path);
      expect({ path, scriptSrc: scriptSrc(response.headers['content-security-policy']) }).toEqual({
        path,
        scriptSrc: "'self'",
      });
      // A page that needed an inline script would break under that policy.
      expect(response.text).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/i);
      expect(response.text).not.toMatch(/\son[a-z]+=/i);
    }
    for (const path of ['/embed/trending', '/embed/models/deepseek-ai/DeepSeek-R1']) {
      const response = await request(t.http).get(path).expect(200);
      expect(response.headers['content-security-policy']).not.toContain("unsafe-inline'; script");
      expect(scriptSrc(response.headers['content-security-policy'])).toBeUndefined();
      expect(response.text).not.toMatch(/<script/i);
    }
  });

  it('listens on the address HOST names', async () => {
    const local = await createTestApp();
    try {
      await listen(local.app, { port: 0, host: '127.0.0.1' });
      expect((local.app.getHttpServer().address() as AddressInfo).address).toBe('127.0.0.1');
    } finally {
      await local.close();
    }
  });

  it('stops a start with an admin token under 32 characters, in one line naming the setting and not the token', async () => {
    const previous = process.env.MODELPULSE_ADMIN_TOKEN;
    process.env.MODELPULSE_ADMIN_TOKEN = 'hunter2';
    let error: unknown;
    try {
      await Test.createTestingModule({ imports: [ApiModule] }).compile();
    } catch (caught) {
      error = caught;
    } finally {
      process.env.MODELPULSE_ADMIN_TOKEN = previous;
    }
    expect(error).toBeInstanceOf(InvalidSettingError);
    const line = startupErrorText(error);
    expect(line).toBe(
      'modelpulse: Invalid setting MODELPULSE_ADMIN_TOKEN: expected at least 32 characters, got 7 (make one with: openssl rand -hex 32)',
    );
  });

  it('never prints the password of a DATABASE_URL at start-up, whatever the error', async () => {
    const previous = process.env.DATABASE_URL;
    process.env.DATABASE_URL = 'postgres://modelpulse:hunter2@db.internal:port/modelpulse';
    let error: unknown;
    try {
      await Test.createTestingModule({ imports: [ApiModule] }).compile();
    } catch (caught) {
      error = caught;
    } finally {
      process.env.DATABASE_URL = previous;
    }
    expect(startupErrorText(error)).toBe(
      'modelpulse: Invalid setting DATABASE_URL: expected a URL, got "postgres://modelpulse:***@db.internal:port/modelpulse"',
    );
    // An unexpected error (a driver's, say) that quotes the URL is printed whole, but for the password.
    const driverError = Object.assign(new Error('connect failed for postgres://app:hunter2@10.0.0.5:5432/x'), {
      connectionString: 'postgresql://app:hunter2@10.0.0.5:5432/x',
    });
    const text = startupErrorText(driverError);
    expect(text).toContain('connect failed for postgres://app:***@10.0.0.5:5432/x');
    expect(text).toContain("connectionString: 'postgresql://app:***@10.0.0.5:5432/x'");
    expect(text).not.toContain('hunter2');
  });
});
