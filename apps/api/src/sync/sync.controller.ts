import { Body, Controller, Get, HttpCode, Post, Query } from '@nestjs/common';
import { ApiAcceptedResponse, ApiBadRequestResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { RunsService, SyncRunDto, SyncRunListDto } from '@modelpulse/core/jobs';
import { RequireScope } from '../auth/scopes.decorator';
import { ProblemDto } from '../http/problem.dto';
import { ListRunsQuery, RequestRunDto } from './dto/sync.dto';
import { RateLimit } from '../http/rate-limit';

@ApiTags('sync')
@ApiBadRequestResponse({ type: ProblemDto, description: 'A bad parameter or field, named in `errors`' })
@Controller('v1')
export class SyncController {
  constructor(private readonly runs: RunsService) {}

  @Get('sync/runs')
  @RateLimit('read')
  @ApiOperation({
    summary: 'Job runs',
    description:
      'Every run of the stats sync, discovery and daily roll-up, newest first: when, how it ended, models done, ' +
      'failed and skipped, upstream requests made, and each error.',
  })
  @ApiOkResponse({ type: SyncRunListDto })
  async list(@Query() query: ListRunsQuery): Promise<SyncRunListDto> {
    return { data: await this.runs.list(query.limit ?? 20, query.kind) };
  }

  @Post('admin/sync')
  @HttpCode(202)
  @RequireScope('admin')
  @ApiOperation({
    summary: 'Run a job now',
    description: 'Queues a run for the next free worker and answers with it; follow it at GET /v1/sync/runs.',
  })
  @ApiAcceptedResponse({ type: SyncRunDto })
  request(@Body() body: RequestRunDto): Promise<SyncRunDto> {
    return this.runs.request(body.kind ?? 'stats-sync', 'api');
  }
}
