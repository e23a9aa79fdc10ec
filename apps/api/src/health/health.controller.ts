import { Controller, Get, Res, ServiceUnavailableException } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import {
  HealthCheckService,
  HealthIndicatorService,
  TypeOrmHealthIndicator,
  type HealthCheckResult,
  type HealthIndicatorFunction,
} from '@nestjs/terminus';
import type { FastifyReply } from 'fastify';

const PING_TIMEOUT_MS = 1500;

/**
 * Only whether each part is up or down: a failed ping's message names the
 * database's address and the driver's error, which only the logs may see.
 */
function upOrDown(result: HealthCheckResult): HealthCheckResult {
  const statuses = (indicators: HealthCheckResult['info']) =>
    indicators &&
    Object.fromEntries(Object.entries(indicators).map(([name, value]) => [name, { status: value?.status ?? 'down' }]));
  return {
    status: result.status,
    info: statuses(result.info),
    error: statuses(result.error),
    details: statuses(result.details)!,
  };
}

@ApiTags('operations')
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly database: TypeOrmHealthIndicator,
    private readonly indicators: HealthIndicatorService,
  ) {}

  @Get()
  @ApiOperation({ summary: 'Whether the process and the database are up' })
  @ApiOkResponse({ description: '`{status: "ok", info: {process: {status: "up"}, database: {status: "up"}}}`' })
  @ApiServiceUnavailableResponse({ description: 'The same shape with `status: "error"` and what is down' })
  check(@Res({ passthrough: true }) reply: FastifyReply): Promise<HealthCheckResult> {
    return this.run(reply, [() => this.process(), () => this.ping()]);
  }

  @Get('live')
  @ApiOperation({
    summary: 'Liveness: the process answers (the database is not asked)',
    description: 'For a supervisor that restarts a hung process: a database outage never fails it.',
  })
  @ApiOkResponse({ description: '`{status: "ok", info: {process: {status: "up"}}}`' })
  live(@Res({ passthrough: true }) reply: FastifyReply): Promise<HealthCheckResult> {
    return this.run(reply, [() => this.process()]);
  }

  @Get('ready')
  @ApiOperation({
    summary: 'Readiness: the database answers, so requests can be served',
    description: 'For a load balancer: 503 while the database is down, frozen or out of connections.',
  })
  @ApiOkResponse({ description: '`{status: "ok", info: {database: {status: "up"}}}`' })
  @ApiServiceUnavailableResponse({ description: '`{status: "error", error: {database: {status: "down"}}}`' })
  ready(@Res({ passthrough: true }) reply: FastifyReply): Promise<HealthCheckResult> {
    return this.run(reply, [() => this.ping()]);
  }

  /** Answering at all is the process's health; its pid and memory are no one's business in public. */
  private process() {
    return this.indicators.check('process').up();
  }

  /** Within the request's own database deadlines, and never longer than a second and a half. */
  private ping() {
    return this.database.pingCheck('database', { timeout: PING_TIMEOUT_MS });
  }

  private async run(reply: FastifyReply, checks: HealthIndicatorFunction[]): Promise<HealthCheckResult> {
    try {
      return upOrDown(await this.health.check(checks));
    } catch (error) {
      if (!(error instanceof ServiceUnavailableException)) throw error;
      reply.status(503);
      return upOrDown(error.getResponse() as HealthCheckResult);
    }
  }
}
