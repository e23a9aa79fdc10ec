import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  Param,
  Patch,
  Post,
  Query,
  Req,
  Res,
  UseInterceptors,
} from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import {
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiProduces,
  ApiTags,
} from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AllConfig } from '@modelpulse/config';
import { LineageDto, ModelDetailDto, ModelPageDto, ModelsService } from '@modelpulse/core/catalog';
import { ApiCachedRead } from '../cache/api-cached-read';
import { sendCsvHeaders, toCsv, negotiateCsv } from '../http/csv-reply';
import { MODEL_COLUMNS } from '../http/csv-tables';
import { RequireScope } from '../auth/scopes.decorator';
import { ApiModelMovedResponse, ProblemDto } from '../http/problem.dto';
import { ListModelsQuery } from './dto/list-models.query';
import { CreateModelDto, UpdateModelDto } from './dto/model-input.dto';
import { ModelParams } from './dto/model-params';
import { toListRequest } from './list-request';
import { nextLink } from './next-link';
import { RateLimit } from '../http/rate-limit';
import { CurrentTrending } from '../rankings/current-trending.interceptor';
import { CurrentFigures } from '../stats/current-figures.interceptor';

const slugOf = (params: ModelParams) => `${params.org}/${params.name}`;

@ApiTags('catalogue')
@ApiBadRequestResponse({ type: ProblemDto, description: 'A bad parameter or field, named in `errors`' })
@UseInterceptors(CurrentFigures, CurrentTrending)
@Controller('v1/models')
export class ModelsController {
  constructor(
    private readonly models: ModelsService,
    private readonly config: ConfigService<AllConfig, true>,
  ) {}

  @Get()
  @RateLimit('read')
  @ApiOperation({
    summary: 'List models',
    description:
      'Filters combine with AND; pages continue with `cursor` (also in the `Link` header). The Hugging Face ' +
      'Hub\u2019s names are accepted beside ours (`search`, `author`, `pipeline_tag`, `filter`, `direction=-1`, ' +
      '`sort=createdAt`); both names of one parameter must agree. An unknown licence, organization or task is a 400. ' +
      '`ids` looks up to 100 models at once, in the order given. CSV with `format=csv` or `Accept: text/csv`.',
  })
  @ApiProduces('application/json', 'text/csv')
  @ApiOkResponse({ type: ModelPageDto })
  @ApiCachedRead()
  async list(
    @Query() query: ListModelsQuery,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<ModelPageDto | string> {
    const asked = toListRequest(query);
    const page = asked.kind === 'ids' ? await this.models.batch(asked.ids) : await this.models.list(asked.query);
    if (page.nextCursor)
      reply.header('Link', nextLink(this.config.get('app.publicUrl', { infer: true }), request.url, page.nextCursor));
    if (!negotiateCsv(query.format, request, reply)) return page;
    sendCsvHeaders(reply, 'models');
    return toCsv(MODEL_COLUMNS, page.data);
  }

  @Get(':org/:name')
  @RateLimit('read')
  @ApiOperation({
    summary: 'One model',
    description:
      'The id is matched in any letter case; the answer has the canonical id. Beside the list fields, `upstreams` ' +
      'tells each upstream repository\u2019s sync state and what it last said of the catalogue fields. An old id ' +
      'that an upstream rename left behind answers 301 to the new one.',
  })
  @ApiOkResponse({ type: ModelDetailDto })
  @ApiCachedRead()
  @ApiModelMovedResponse()
  @ApiNotFoundResponse({ type: ProblemDto, description: 'No such model, or it was deleted' })
  get(@Param() params: ModelParams): Promise<ModelDetailDto> {
    return this.models.get(slugOf(params));
  }

  @Get(':org/:name/lineage')
  @RateLimit('read')
  @ApiOperation({ summary: 'Ancestors, descendants and family of a model, with family download totals' })
  @ApiOkResponse({ type: LineageDto })
  @ApiCachedRead()
  @ApiModelMovedResponse()
  @ApiNotFoundResponse({ type: ProblemDto })
  lineage(@Param() params: ModelParams): Promise<LineageDto> {
    return this.models.lineage(slugOf(params));
  }

  @Post()
  @RequireScope('catalog:write')
  @ApiOperation({ summary: 'Add a model' })
  @ApiCreatedResponse({ type: ModelDetailDto })
  @ApiConflictResponse({
    type: ProblemDto,
    description:
      'The id is taken: by a model (a deleted one too), or as the old id of a renamed model, named in the detail',
  })
  create(@Body() body: CreateModelDto): Promise<ModelDetailDto> {
    return this.models.create(body);
  }

  @Patch(':org/:name')
  @RequireScope('catalog:write')
  @ApiOperation({
    summary: 'Change a model',
    description: 'Fields sent are set (null clears) and from then on kept over seed and imports.',
  })
  @ApiOkResponse({ type: ModelDetailDto })
  @ApiNotFoundResponse({
    type: ProblemDto,
    description:
      'No such model; for an old id of a renamed model, `movedTo` names the id to write to (writes are not redirected)',
  })
  update(@Param() params: ModelParams, @Body() body: UpdateModelDto): Promise<ModelDetailDto> {
    return this.models.update(slugOf(params), body);
  }

  @Delete(':org/:name')
  @HttpCode(204)
  @RequireScope('catalog:write')
  @ApiOperation({
    summary: 'Delete (archive) a model',
    description:
      'The model leaves every list and answers 404; its history is kept. `npm run cli -- purge <id>` removes it for good.',
  })
  @ApiNoContentResponse()
  @ApiNotFoundResponse({
    type: ProblemDto,
    description:
      'No such model; for an old id of a renamed model, `movedTo` names the id to write to (writes are not redirected)',
  })
  archive(@Param() params: ModelParams): Promise<void> {
    return this.models.archive(slugOf(params));
  }
}
