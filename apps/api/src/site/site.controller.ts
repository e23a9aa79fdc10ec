import { Controller, Get, Header, Param, Query, UseFilters, UseInterceptors } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { SiteService } from '@modelpulse/core/site';
import { ModelParams } from '../models/dto/model-params';
import { ModelsQuery } from './dto/models.query';
import { ModelPageQuery } from './dto/model-page.query';
import { toListRequest } from '../models/list-request';
import { ValidationProblem } from '../http/problems';
import { CompareQuery } from './dto/compare.query';
import { HomeQuery } from './dto/home.query';
import { SiteErrorFilter } from './site-error.filter';
import { RateLimit } from '../http/rate-limit';
import { CurrentTrending } from '../rankings/current-trending.interceptor';
import { CurrentFigures } from '../stats/current-figures.interceptor';

const HTML = 'text/html; charset=utf-8';

/** The browsable site: HTML pages for people, beside the JSON API (and left out of its OpenAPI document). */
@ApiExcludeController()
@UseFilters(SiteErrorFilter)
@UseInterceptors(CurrentFigures, CurrentTrending)
@Controller()
export class SiteController {
  constructor(private readonly site: SiteService) {}

  @Get()
  @RateLimit('read')
  @Header('Content-Type', HTML)
  home(@Query() query: HomeQuery): Promise<string> {
    return this.site.home({
      asOf: query.asOf,
      limit: query.limit ?? 20,
      licenses: query.license,
      task: query.task,
      organizations: query.organization,
      minParams: query.minParams,
      maxParams: query.maxParams,
      collapseFamilies: query.collapse === 'family',
    });
  }

  /** The catalogue: the API's list (its parameters, checks and cursors) as a page, the search box's target. */
  @Get('models')
  @RateLimit('read')
  @Header('Content-Type', HTML)
  models(@Query() query: ModelsQuery): Promise<string> {
    const asked = toListRequest(query);
    if (asked.kind === 'ids') {
      throw new ValidationProblem([
        { field: 'ids', message: 'ids is for GET /v1/models; this page lists the catalogue by its filters' },
      ]);
    }
    const { filters, sort, limit } = asked.query;
    return this.site.catalogue(asked.query, {
      q: filters.q,
      licenses: filters.licenses,
      task: filters.task,
      organizations: filters.organizations,
      minParams: filters.minParams,
      maxParams: filters.maxParams,
      sort: query.sort === undefined ? undefined : sort,
      limit,
    });
  }

  /** Up to five models side by side: one chart, one table. */
  @Get('compare')
  @RateLimit('read')
  @Header('Content-Type', HTML)
  compare(@Query() query: CompareQuery): Promise<string> {
    return this.site.compare(query.models);
  }

  @Get('models/:org/:name')
  @RateLimit('read')
  @Header('Content-Type', HTML)
  model(@Param() params: ModelParams, @Query() query: ModelPageQuery): Promise<string> {
    return this.site.model(`${params.org}/${params.name}`, query.asOf);
  }
}
