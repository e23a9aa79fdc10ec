import { Injectable, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import type { Observable } from 'rxjs';
import { BADGE_OPTION_NAMES } from '@modelpulse/core/embeds';

const KNOWN = new Set<string>(BADGE_OPTION_NAMES);

/**
 * On an `.svg` badge, query parameters the badge does not read are dropped
 * before validation, as shields.io ignores them: a README's image URL that
 * carries one more (a cache-buster, `?v=2`, an option of another service)
 * still draws the badge. The one route where an unknown field is not a 400.
 * Interceptors run before pipes, so the validation pipe sees what is left.
 */
@Injectable()
export class KnownBadgeOptions implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    const query = (request.query ?? {}) as Record<string, unknown>;
    request.query = Object.fromEntries(Object.entries(query).filter(([name]) => KNOWN.has(name)));
    return next.handle();
  }
}
