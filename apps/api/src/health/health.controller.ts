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
  @ApiOkResponse({ description: '`{status: "ok", info: {process, database}}`' })
  @ApiServiceUnavailableResponse({ description: 'The same shape with `status: "error"` and what is down' })
  check(@Res({ passthrough: true }) reply: FastifyReply): Promise<HealthCheckResult> {
    return this.run(reply, [() => this.process(), () => this.ping()]);
  }

  @Get('live')
  @ApiOperation({
    summary: 'Liveness: the process answers (the database is not asked)',
    description: 'For a supervisor that restarts a hung process: a database outage never fails it.',
  })
  @ApiOkResponse({ description: '`{status: "ok", info: {process}}`' })
  live(@Res({ passthrough: true }) reply: FastifyReply): Promise<HealthCheckResult> {
    return this.run(reply, [() => this.process()]);
  }

  @Get('ready')
  @ApiOperation({
    summary: 'Readiness: the database answers, so requests can be served',
    description: 'For a load balancer: 503 while the database is down, frozen or out of connections.',
  })
  @ApiOkResponse({ description: '`{status: "ok", info: {database}}`' })
  @ApiServiceUnavailableResponse({ description: '`{status: "error", error: {database}}`' })
  ready(@Res({ passthrough: true }) reply: FastifyReply): Promise<HealthCheckResult> {
    return this.run(reply, [() => this.ping()]);
  }

  private process() {
    const memory = process.memoryUsage();
    return this.indicators.check('process').up({
      pid: process.pid,
      uptimeSeconds: Math.round(process.uptime()),
      rssBytes: memory.rss,
      heapUsedBytes: memory.heapUsed,
    });
  }

  /** Within the request's own database deadlines, and never longer than a second and a half. */
  private ping() {
    return this.database.pingCheck('database', { timeout: PING_TIMEOUT_MS });
  }

  private async run(reply: FastifyReply, checks: HealthIndicatorFunction[]): Promise<HealthCheckResult> {
    try {
      return await this.health.check(checks);
    } catch (error) {
      if (!(error instanceof ServiceUnavailableException)) throw error;
      reply.status(503);
      return error.getResponse() as HealthCheckResult;
    }
  }
}
