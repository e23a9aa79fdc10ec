import { applyDecorators, SetMetadata } from '@nestjs/common';
import { RouteConfig } from '@nestjs/platform-fastify';
import { ApiBearerAuth, ApiForbiddenResponse, ApiUnauthorizedResponse } from '@nestjs/swagger';
import type { Scope } from '@modelpulse/core/auth';
import { ProblemDto } from '../http/problem.dto';
import { ApiRateLimitedResponse } from '../http/rate-limit';

export const SCOPE_KEY = 'modelpulse:scope';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The scope the route's key needs, read by the key check that runs before the body is read. */
    scope?: Scope;
  }
}

/**
 * The route needs a bearer key with this scope (the admin token has every
 * scope). On routes only, not on a controller: the scope goes into the
 * Fastify route's config, where the key is checked before the body is read.
 */
export function RequireScope(scope: Scope): MethodDecorator {
  return applyDecorators(
    SetMetadata(SCOPE_KEY, scope),
    RouteConfig({ scope }),
    ApiBearerAuth(),
    ApiUnauthorizedResponse({
      type: ProblemDto,
      description: 'No key, or an unknown key (which counts against the address\u2019s failed key checks)',
    }),
    ApiRateLimitedResponse('key-failures'),
    ApiForbiddenResponse({ type: ProblemDto, description: `The key lacks the ${scope} scope` }),
  );
}
