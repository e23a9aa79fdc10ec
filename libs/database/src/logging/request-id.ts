import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { BlockList, isIP } from 'node:net';
import type { TrustProxy } from '@modelpulse/config';

/**
 * An incoming id is kept only when it is this: short, and made of characters
 * that cannot break a log line or a header (UUIDs, nginx's `$request_id`,
 * Heroku's and most tracers' ids fit).
 */
export const SANE_REQUEST_ID = /^[A-Za-z0-9._:@+=/-]{1,128}$/;

export const REQUEST_ID_HEADER = 'x-request-id';

/** Whether the peer on the socket is a proxy that TRUST_PROXY names. */
function peerIsTrusted(trustProxy: TrustProxy): (address: string | undefined) => boolean {
  if (trustProxy === false) return () => false;
  // A number of hops trusts at least the nearest one, which is the socket's peer.
  if (trustProxy === true || typeof trustProxy === 'number') return () => true;
  const trusted = new BlockList();
  for (const entry of trustProxy) {
    const [address, prefix] = entry.split('/');
    const type = isIP(address) === 6 ? 'ipv6' : 'ipv4';
    if (prefix === undefined) trusted.addAddress(address, type);
    else trusted.addSubnet(address, Number(prefix), type);
  }
  return (address) => {
    if (address === undefined) return false;
    const plain = address.startsWith('::ffff:') && isIP(address.slice(7)) === 4 ? address.slice(7) : address;
    return trusted.check(plain, isIP(plain) === 6 ? 'ipv6' : 'ipv4');
  };
}

/**
 * Fastify's `genReqId`: the `X-Request-Id` a trusted proxy sent, when it is
 * sane, so one id follows the request from the proxy's log into ours;
 * otherwise a fresh UUID. A client's own header is not believed (it could
 * pass another request's id and muddle the logs), just as its
 * X-Forwarded-For is not.
 */
export function requestIdGenerator(trustProxy: TrustProxy): (request: IncomingMessage) => string {
  const trusted = peerIsTrusted(trustProxy);
  return (request) => {
    const incoming = request.headers[REQUEST_ID_HEADER];
    if (typeof incoming === 'string' && SANE_REQUEST_ID.test(incoming) && trusted(request.socket.remoteAddress)) {
      return incoming;
    }
    return randomUUID();
  };
}
