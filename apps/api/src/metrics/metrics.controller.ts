import { Controller, Get, Headers, Res } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { ApiOkResponse, ApiOperation, ApiTags, ApiUnauthorizedResponse } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import type { AllConfig } from '@modelpulse/config';
import { Metrics, scrapeAllowed } from '@modelpulse/core/metrics';
import { ProblemDto } from '../http/problem.dto';
import { UnauthorizedProblem } from '../http/problems';

@ApiTags('operations')
@Controller('metrics')
export class MetricsController {
  private readonly token: string | null;

  constructor(
    private readonly metrics: Metrics,
    config: ConfigService<AllConfig, true>,
  ) {
    this.token = config.get('metrics.token', { infer: true });
  }

  @Get()
  @ApiOperation({
    summary: 'Prometheus metrics of this process',
    description:
      'Prometheus text format 0.0.4: HTTP requests by route pattern and status, the database pool, job runs and ' +
      'upstream requests worked in this process, rate-limit refusals, and the Node.js process. With METRICS_TOKEN ' +
      'set, only `Authorization: Bearer <METRICS_TOKEN>` may read it (a token of its own, not an API key); ' +
      'without it, anyone who reaches the port.',
  })
  @ApiOkResponse({
    description: 'The series, one sample a line',
    content: { 'text/plain; version=0.0.4': { schema: { type: 'string' } } },
  })
  @ApiUnauthorizedResponse({ type: ProblemDto, description: 'METRICS_TOKEN is set and was not sent' })
  async scrape(
    @Headers('authorization') authorization: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<string> {
    if (!scrapeAllowed(this.token, authorization)) {
      throw new UnauthorizedProblem('Send the metrics token as "Authorization: Bearer <METRICS_TOKEN>"');
    }
    reply.type(this.metrics.contentType);
    return this.metrics.render();
  }
}
