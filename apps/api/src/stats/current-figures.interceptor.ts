import { Injectable, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import type { Observable } from 'rxjs';
import { ModelStatsFolder } from '@modelpulse/core/stats';

/**
 * Before a read that shows the models' figures (their `stats` block, the
 * sorts on them, family totals, badges, widgets, the site's pages, the demo
 * marks of rankings), what this process's writes landed is folded into
 * them: writes no longer wait for it, and a read after a write shows it.
 * The wait is bounded (SETTLE_WAIT_MS): when the fold hangs on a frozen
 * database, the read goes on and meets the database's own deadlines.
 */
@Injectable()
export class CurrentFigures implements NestInterceptor {
  constructor(private readonly folder: ModelStatsFolder) {}

  async intercept(context: ExecutionContext, next: CallHandler): Promise<Observable<unknown>> {
    const method = context.switchToHttp().getRequest<FastifyRequest>().method;
    if (method === 'GET' || method === 'HEAD') await this.folder.settled();
    return next.handle();
  }
}
