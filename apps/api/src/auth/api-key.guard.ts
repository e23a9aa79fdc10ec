import { Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { AuthService, type Principal, type Scope } from '@modelpulse/core/auth';
import { withDeadlines, type DatabaseDeadlines } from '@modelpulse/database';
import { ForbiddenProblem, UnauthorizedProblem } from '../http/problems';
import { KeyCheckLimiter } from '../http/rate-limit';
import { SCOPE_KEY } from './scopes.decorator';

declare module 'fastify' {
  interface FastifyRequest {
    /** Who sent the request, set on routes that need a key. */
    principal?: Principal;
  }
}

/**
 * Sets `request.principal` from its bearer key, or throws the 401, 403 or
 * 429 the request gets. A key that fails the check counts against its
 * address's failed-check limit, and an address over it is not checked at all.
 */
async function authorize(
  auth: AuthService,
  keyChecks: KeyCheckLimiter,
  request: FastifyRequest,
  scope: Scope,
): Promise<void> {
  if (!request.principal) {
    const authorization = request.headers.authorization;
    const ask = 'Send an API key as "Authorization: Bearer <key>"';
    // No key at all is nothing to guess with: a 401 that costs no budget.
    if (authorization === undefined || authorization.trim() === '') throw new UnauthorizedProblem(ask);
    await keyChecks.refuseIfBlocked(request);
    const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
    const principal = match ? await auth.authenticate(match[1]) : null;
    if (!principal) {
      const headers = await keyChecks.recordFailure(request);
      throw new UnauthorizedProblem(match ? 'The API key is not known' : ask, headers);
    }
    request.principal = principal;
  }
  if (!request.principal.scopes.includes(scope)) throw new ForbiddenProblem(`The API key lacks the ${scope} scope`);
}

/**
 * Checks the key of every route marked with RequireScope as soon as its
 * headers are in, before a byte of the body is read or parsed: a client
 * without a valid key gets its 401 or 403 at once and cannot make the
 * server read, buffer and parse megabytes first.
 */
export function checkKeysBeforeBodies(
  fastify: FastifyInstance,
  auth: AuthService,
  keyChecks: KeyCheckLimiter,
  deadlines: DatabaseDeadlines,
): void {
  fastify.addHook('onRequest', (request, _reply, done) => {
    const scope = request.routeOptions.config.scope;
    if (!scope) return done();
    withDeadlines(deadlines, () => authorize(auth, keyChecks, request, scope)).then(() => done(), done);
  });
}

/**
 * Checks the bearer key of routes marked with RequireScope; other routes are
 * public. The key was normally checked before the body (checkKeysBeforeBodies);
 * this guard holds for an app built without that hook too.
 */
@Injectable()
export class ApiKeyGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly auth: AuthService,
    private readonly keyChecks: KeyCheckLimiter,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const scope = this.reflector.getAllAndOverride<Scope | undefined>(SCOPE_KEY, [
      context.getHandler(),
      context.getClass(),
    ]);
    if (!scope) return true;
    await authorize(this.auth, this.keyChecks, context.switchToHttp().getRequest<FastifyRequest>(), scope);
    return true;
  }
}
