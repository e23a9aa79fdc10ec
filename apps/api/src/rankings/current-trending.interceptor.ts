import { Injectable, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import type { Observable } from 'rxjs';
import { RankingsService } from '@modelpulse/core/rankings';

/**
 * Before a read that shows trending ranks (a model's `trending`, the
 * trending sort, badges, widgets, the site's pages), the latest complete
 * day's ranking is brought up to date if data touching it landed: writes no
 * longer wait for it, and reads never show a rank the data has passed.
 */
@Injectable()
export class CurrentTrending implements NestInterceptor {
  constructor(private readonly rankings: RankingsService) {}

  async intercept(context: ExecutionContext, next: CallHandler): Promise<Observable<unknown>> {
    const method = context.switchToHttp().getRequest<FastifyRequest>().method;
    if (method === 'GET' || method === 'HEAD') await this.rankings.ensureLatestCurrent();
    return next.handle();
  }
}
