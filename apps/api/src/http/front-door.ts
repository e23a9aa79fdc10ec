import { createServer, type IncomingMessage, type Server, type ServerOptions, type ServerResponse } from 'node:http';
import proxyAddr from '@fastify/proxy-addr';
import type { FastifyServerFactory } from 'fastify';
import type { TrustProxy } from '@modelpulse/config';
import { requestIdGenerator } from '@modelpulse/database';

type Listener = (request: IncomingMessage, response: ServerResponse) => void;

/** Fastify's options as it hands them to a server factory, its defaults filled in. */
interface ServerSettings {
  http?: ServerOptions;
  keepAliveTimeout: number;
  requestTimeout: number;
  connectionTimeout: number;
  maxRequestsPerSocket?: number | null;
}

/**
 * What may answer a request before Fastify routes it: true when it took the
 * request (and answers it, or hands it to `fastify` later), false to let
 * Fastify have it now.
 */
export type FrontAnswer = (request: IncomingMessage, response: ServerResponse, fastify: Listener) => boolean;

/**
 * The client address as Fastify's `request.ip` gives it: the socket's peer,
 * or, behind the proxies TRUST_PROXY names, the nearest address in
 * X-Forwarded-For that is not one of them (@fastify/proxy-addr, which
 * Fastify itself uses, compiled the way Fastify compiles `trustProxy`).
 */
export function clientAddressOf(trustProxy: TrustProxy): (request: IncomingMessage) => string | undefined {
  if (trustProxy === false) return (request) => request.socket.remoteAddress;
  const trusted =
    trustProxy === true
      ? () => true
      : typeof trustProxy === 'number'
        ? (_address: string, hop: number) => hop < trustProxy
        : proxyAddr.compile(trustProxy);
  return (request) => {
    const addresses = proxyAddr.all(request, trusted);
    return addresses[addresses.length - 1];
  };
}

/**
 * The HTTP server's front door: every request is offered to one answer
 * before Fastify's handler (the response cache's hits on URLs it has seen,
 * cache/cache-hooks.ts), which skips Fastify's routing, its request and
 * reply objects and its hook chain: on a hit, they were most of the cost
 * (bench/README.md, decision 0033). Until an answer is given, and from the
 * moment the app starts closing, every request goes straight to Fastify.
 */
export class FrontDoor {
  readonly requestId: (request: IncomingMessage) => string;
  readonly clientAddress: (request: IncomingMessage) => string | undefined;
  private answer: FrontAnswer | null = null;

  constructor(trustProxy: TrustProxy) {
    this.requestId = requestIdGenerator(trustProxy);
    this.clientAddress = clientAddressOf(trustProxy);
  }

  open(answer: FrontAnswer): void {
    this.answer = answer;
  }

  shut(): void {
    this.answer = null;
  }

  /**
   * Fastify's `serverFactory`: the HTTP/1.1 server Fastify would make
   * itself (its `http` options, keep-alive, request and connection
   * timeouts), whose requests knock here first.
   */
  readonly serverFactory: FastifyServerFactory<Server> = (handler, options) => {
    const fastify = handler as Listener;
    const settings = options as unknown as ServerSettings;
    const server = createServer(settings.http ?? {}, (request, response) => {
      const answer = this.answer;
      if (answer === null || !answer(request, response, fastify)) fastify(request, response);
    });
    server.keepAliveTimeout = settings.keepAliveTimeout;
    server.requestTimeout = settings.requestTimeout;
    server.setTimeout(settings.connectionTimeout);
    if (settings.maxRequestsPerSocket) server.maxRequestsPerSocket = settings.maxRequestsPerSocket;
    return server;
  };
}
