import { Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyRequest } from 'fastify';
import { AuthService, type Principal, type Scope } from '@modelpulse/core/auth';
import { ForbiddenProblem, UnauthorizedProblem } from '../http/problems';
import { SCOPE_KEY } from './scopes.decorator';

const principals = new WeakMap<FastifyRequest, Principal>();

/** Who sent a request that passed the guard on a route with a scope. */
export function principalOf(request: FastifyRequest): Principal {
  const principal = principals.get(request);
  if (!principal) throw new Error('principalOf is only for routes marked with RequireScope');
  return principal;
}

/** Checks the bearer key of routes marked with RequireScope; other routes are public. */
@Injectable()
export class ApiKeyGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly auth: AuthService,
  ) {}

  canActivate(context: ExecutionContext): boolean {
    const scope = this.reflector.getAllAndOverride<Scope | undefined>(SCOPE_KEY, [
      context.getHandler(),
      context.getClass(),
    ]);
    if (!scope) return true;
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    const match = /^Bearer\s+(\S+)\s*$/i.exec(request.headers.authorization ?? '');
    if (!match) throw new UnauthorizedProblem('Send an API key as "Authorization: Bearer <key>"');
    const principal = this.auth.authenticate(match[1]);
    if (!principal) throw new UnauthorizedProblem('The API key is not known');
    if (!principal.scopes.includes(scope)) throw new ForbiddenProblem(`The API key lacks the ${scope} scope`);
    principals.set(request, principal);
    return true;
  }
}
