import { Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyRequest } from 'fastify';
import { AuthService, type Principal, type Scope } from '@modelpulse/core/auth';
import { ForbiddenProblem, UnauthorizedProblem } from '../http/problems';
import { KeyCheckLimiter } from '../http/rate-limit';
import { SCOPE_KEY } from './scopes.decorator';

declare module 'fastify' {
  interface FastifyRequest {
    /** Who sent the request, set by ApiKeyGuard on routes that need a key. */
    principal?: Principal;
  }
}

/**
 * Checks the bearer key of routes marked with RequireScope; other routes
 * are public. A key that fails the check counts against its address's
 * failed-check limit, and an address over it is not checked at all.
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
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    const authorization = request.headers.authorization;
    const ask = 'Send an API key as "Authorization: Bearer <key>"';
    // No key at all is nothing to guess with: a 401 that costs no budget.
    if (authorization === undefined || authorization.trim() === '') throw new UnauthorizedProblem(ask);
    await this.keyChecks.refuseIfBlocked(request);
    const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
    const principal = match ? await this.auth.authenticate(match[1]) : null;
    if (!principal) {
      const headers = await this.keyChecks.recordFailure(request);
      throw new UnauthorizedProblem(match ? 'The API key is not known' : ask, headers);
    }
    if (!principal.scopes.includes(scope)) throw new ForbiddenProblem(`The API key lacks the ${scope} scope`);
    request.principal = principal;
    return true;
  }
}
