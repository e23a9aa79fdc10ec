import type { AddressInfo } from 'node:net';
import Fastify from 'fastify';
import type { TrustProxy } from '@modelpulse/config';
import { clientAddressOf, FrontDoor } from './front-door';

describe('clientAddressOf', () => {
  const settings: TrustProxy[] = [false, true, 1, 2, ['127.0.0.1'], ['10.0.0.0/8', '127.0.0.1'], ['192.0.2.7']];
  const asked: { remoteAddress: string; forwardedFor?: string }[] = [
    { remoteAddress: '127.0.0.1' },
    { remoteAddress: '127.0.0.1', forwardedFor: '203.0.113.9' },
    { remoteAddress: '127.0.0.1', forwardedFor: '203.0.113.9, 10.1.2.3' },
    { remoteAddress: '127.0.0.1', forwardedFor: '198.51.100.1, 203.0.113.9, 10.1.2.3' },
    { remoteAddress: '192.0.2.7', forwardedFor: '203.0.113.9' },
    { remoteAddress: '::ffff:127.0.0.1', forwardedFor: '2001:db8::1' },
  ];

  it.each(settings.map((trustProxy) => [JSON.stringify(trustProxy), trustProxy]))(
    "gives Fastify's request.ip under TRUST_PROXY=%s",
    async (_name, trustProxy) => {
      const fastify = Fastify({ trustProxy });
      const address = clientAddressOf(trustProxy);
      fastify.get('/', (request) => ({ fastify: request.ip, ours: address(request.raw) }));
      for (const { remoteAddress, forwardedFor } of asked) {
        const answer = await fastify.inject({
          url: '/',
          remoteAddress,
          headers: forwardedFor === undefined ? {} : { 'x-forwarded-for': forwardedFor },
        });
        const { fastify: ip, ours } = answer.json<{ fastify: string; ours: string }>();
        expect({ remoteAddress, forwardedFor, ip: ours }).toEqual({ remoteAddress, forwardedFor, ip });
      }
      await fastify.close();
    },
  );
});

describe('FrontDoor', () => {
  async function serve(fastify: ReturnType<typeof Fastify>): Promise<string> {
    await fastify.listen({ port: 0, host: '127.0.0.1' });
    return `http://127.0.0.1:${(fastify.server.address() as AddressInfo).port}`;
  }

  it('makes the server Fastify makes itself, with the same timeouts', async () => {
    const options = { requestTimeout: 7_000, keepAliveTimeout: 4_000, http: { headersTimeout: 3_000 } };
    const own = Fastify(options);
    const door = new FrontDoor(false);
    const behind = Fastify({ ...options, serverFactory: door.serverFactory });
    await Promise.all([own.ready(), behind.ready()]);
    const shape = (server: typeof own.server) => ({
      keepAliveTimeout: server.keepAliveTimeout,
      requestTimeout: server.requestTimeout,
      headersTimeout: server.headersTimeout,
      timeout: server.timeout,
      maxRequestsPerSocket: server.maxRequestsPerSocket,
    });
    expect(shape(behind.server)).toEqual(shape(own.server));
    await Promise.all([own.close(), behind.close()]);
  });

  it('offers every request to its answer first, and leaves to Fastify what it does not take or once shut', async () => {
    const door = new FrontDoor(false);
    const fastify = Fastify({ serverFactory: door.serverFactory });
    fastify.get('/*', (request) => `fastify: ${request.url}`);
    const url = await serve(fastify);
    const read = async (path: string) => (await fetch(url + path)).text();

    expect(await read('/door')).toBe('fastify: /door');
    door.open((request, response) => {
      if (request.url !== '/door') return false;
      response.end(`door: ${door.clientAddress(request)}`);
      return true;
    });
    expect(await read('/door')).toBe('door: 127.0.0.1');
    expect(await read('/other')).toBe('fastify: /other');
    door.shut();
    expect(await read('/door')).toBe('fastify: /door');
    await fastify.close();
  });

  it('lets its answer hand a request it took to Fastify later', async () => {
    const door = new FrontDoor(false);
    const fastify = Fastify({ serverFactory: door.serverFactory });
    fastify.get('/later', () => 'fastify, later');
    const url = await serve(fastify);
    door.open((request, response, next) => {
      setTimeout(() => next(request, response), 20);
      return true;
    });
    expect(await (await fetch(`${url}/later`)).text()).toBe('fastify, later');
    await fastify.close();
  });
});
