import { Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyRequest } from 'fastify';
import { AuthService, type Principal, type Scope } from '@modelpulse/core/auth';
import { ForbiddenProblem, UnauthorizedProblem } from '../http/problems';
import { SCOPE_KEY } from './scopes.decorator';

declare module 'fastify' {
  interface FastifyRequest {
    /** Who sent the request, set by ApiKeyGuard on routes that need a key. */
    principal?: Principal;
  }
}

/** Checks the bearer key of routes marked with RequireScope; other routes are public. */
@Injectable()
export class ApiKeyGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly auth: AuthService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const scope = this.reflector.getAllAndOverride<Scope | undefined>(SCOPE_KEY, [
      context.getHandler(),
      context.getClass(),
    ]);
    if (!scope) return true;
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    const match = /^Bearer\s+(\S+)\s*$/i.exec(request.headers.authorization ?? '');
    if (!match) throw new UnauthorizedProblem('Send an API key as "Authorization: Bearer <key>"');
    const principal = await this.auth.authenticate(match[1]);
    if (!principal) throw new UnauthorizedProblem('The API key is not known');
    if (!principal.scopes.includes(scope)) throw new ForbiddenProblem(`The API key lacks the ${scope} scope`);
    request.principal = principal;
    return true;
  }
}
