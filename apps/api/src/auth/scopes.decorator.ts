import { applyDecorators, SetMetadata } from '@nestjs/common';
import { ApiBearerAuth, ApiForbiddenResponse, ApiUnauthorizedResponse } from '@nestjs/swagger';
import type { Scope } from '@modelpulse/core/auth';
import { ProblemDto } from '../http/problem.dto';
import { ApiRateLimitedResponse } from '../http/rate-limit';

export const SCOPE_KEY = 'modelpulse:scope';

/** The route needs a bearer key with this scope (the admin token has every scope). */
export function RequireScope(scope: Scope) {
  return applyDecorators(
    SetMetadata(SCOPE_KEY, scope),
    ApiBearerAuth(),
    ApiUnauthorizedResponse({
      type: ProblemDto,
      description: 'No key, or an unknown key (which counts against the address\u2019s failed key checks)',
    }),
    ApiRateLimitedResponse('key-failures'),
    ApiForbiddenResponse({ type: ProblemDto, description: `The key lacks the ${scope} scope` }),
  );
}
