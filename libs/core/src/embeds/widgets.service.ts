import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { AllConfig } from '@modelpulse/config';
import { DomainError, InvalidReferenceError, ModelMovedError, ModelsService } from '../catalog';
import { Clock } from '../clock';
import { MAX_HISTORY_DAYS, RankingsService, type RankingFilters } from '../rankings';
import { StatsService } from '../stats';
import { addDays, utcDay } from '../days';
import { renderChart, type ChartSeries } from './chart';
import { comparedModels } from './compare';
import type { OembedDto } from './dto/oembed.dto';
import { explainEmptyRanking } from './empty-state';
import { EmptyStateService } from './empty-state.service';
import { modelPageUrl, renderModelCard, renderTrendingWidget, type WidgetTheme } from './widget';
import { oembedSize, snippet, widgetTitle } from './snippets';
import { oembedTarget, type OembedTarget } from './widget-oembed';

/** A daily figure (`downloads`, `likes`, `stars`), or the trending rank of each day (`rank`). */
export const CHART_METRICS = ['downloads', 'likes', 'stars', 'rank'] as const;
export type ChartMetric = (typeof CHART_METRICS)[number];

/** The most days a rank chart draws: a rank history's own span. */
export const RANK_CHART_MAX_DAYS = MAX_HISTORY_DAYS;

/** A URL oEmbed has nothing for: another site, or a page of this one that is no widget. */
export class NoEmbedError extends DomainError {
  readonly kind = 'not-found';
  override readonly field = 'url';
  constructor(url: string) {
    super(`There is no embed for ${url}: only this site's leaderboard and model pages have one`);
  }
}

/** What a chart draws: which figure, over how many days up to which, and how wide. */
export interface ChartOptions {
  metric: ChartMetric;
  days: number;
  /** The last day drawn (YYYY-MM-DD, not in the future); today when absent, yesterday for ranks. */
  to?: string;
  /** The drawing's width; the default when absent. */
  widthPx?: number;
}

const CARD_DAYS = 30;

/** `downloads a day, last 90 days`; `trending rank each day, 30 days to 2025-01-27`. */
const chartTitle = (query: ChartOptions) =>
  `${query.metric === 'rank' ? 'trending rank each day' : `${query.metric} a day`}, ` +
  (query.to === undefined ? `last ${query.days} days` : `${query.days} days to ${query.to}`);
const PROVIDER_NAME = 'modelpulse';

/** Charts, iframe widgets and oEmbed answers, rendered from the catalogue, stats and rankings. */
@Injectable()
export class WidgetsService {
  private readonly publicUrl: string;

  constructor(
    private readonly models: ModelsService,
    private readonly stats: StatsService,
    private readonly rankings: RankingsService,
    private readonly clock: Clock,
    private readonly emptyState: EmptyStateService,
    config: ConfigService<AllConfig, true>,
  ) {
    this.publicUrl = config.get('app', { infer: true }).publicUrl;
  }

  /**
   * The `days` days of a metric up to `to` (today, or the latest complete
   * day for ranks) as an SVG line chart.
   */
  async chart(slug: string, query: ChartOptions): Promise<string> {
    const window = this.window(query);
    const [line] = await this.lines([slug], query.metric, window);
    return renderChart({
      title: `${line.label}: ${chartTitle(query)}`,
      ...window,
      points: line.points,
      scale: query.metric === 'rank' ? 'rank' : 'count',
      widthPx: query.widthPx,
    });
  }

  /**
   * The same chart for several models, a line each, in the order asked (see
   * `comparedModels` for renamed and unknown ids).
   */
  async compareChart(ids: string[], query: ChartOptions): Promise<string> {
    const models = comparedModels(await this.models.batch(ids));
    const window = this.window(query);
    return renderChart({
      title: chartTitle(query),
      ...window,
      series: await this.lines(
        models.map((model) => model.id),
        query.metric,
        window,
      ),
      scale: query.metric === 'rank' ? 'rank' : 'count',
      widthPx: query.widthPx,
    });
  }

  /** Each model's line over the window: its daily figures, or its rank each day (null: not ranked). */
  private lines(slugs: string[], metric: ChartMetric, window: { from: string; to: string }): Promise<ChartSeries[]> {
    return Promise.all(
      slugs.map(async (slug) => {
        if (metric === 'rank') {
          const history = await this.rankings.rankHistory(slug, window);
          return { label: history.model, points: history.points.map((p) => ({ date: p.date, value: p.rank })) };
        }
        const series = await this.stats.series(slug, { metric, interval: 'day', ...window });
        return { label: series.model, points: series.points };
      }),
    );
  }

  private window(query: ChartOptions): { from: string; to: string } {
    const today = utcDay(this.clock.now());
    if (query.to !== undefined && query.to > today)
      throw new InvalidReferenceError('to', 'to must not be in the future');
    if (query.metric === 'rank' && query.days > RANK_CHART_MAX_DAYS) {
      throw new InvalidReferenceError('days', `a rank chart draws at most ${RANK_CHART_MAX_DAYS} days`);
    }
    // Today has no rank yet: its ranking is not final until the day is over.
    const to = query.to ?? (query.metric === 'rank' ? addDays(today, -1) : today);
    return { from: addDays(to, -(query.days - 1)), to };
  }

  async trendingWidget(query: { theme: WidgetTheme; limit: number; asOf?: string } & RankingFilters): Promise<string> {
    const { theme, ...ranking } = query;
    const trending = await this.rankings.trending(ranking);
    const filtered =
      ranking.licenses !== undefined ||
      ranking.task !== undefined ||
      ranking.organizations !== undefined ||
      ranking.minParams !== undefined ||
      ranking.maxParams !== undefined;
    const empty =
      trending.data.length > 0 ? null : explainEmptyRanking(await this.emptyState.state(), trending.asOf, filtered);
    // The ranking carries no download counts: read them for all its rows at once.
    const details = await this.models.getMany(trending.data.map((entry) => entry.model.id));
    return renderTrendingWidget({
      site: { publicUrl: this.publicUrl, pageUrl: `${this.publicUrl}/` },
      theme,
      asOf: trending.asOf,
      demo: trending.demo,
      empty,
      limit: query.limit,
      entries: trending.data.map((entry) => ({
        rank: entry.rank,
        previousRank: entry.previousRank,
        id: entry.model.id,
        license: entry.model.license,
        downloads30d: details.get(entry.model.id)?.stats.downloads30d ?? null,
      })),
    });
  }

  async modelCard(slug: string, theme: WidgetTheme): Promise<string> {
    const model = await this.models.get(slug);
    const to = utcDay(this.clock.now());
    const [series, trending] = await Promise.all([
      this.stats.series(model.id, { metric: 'downloads', interval: 'day', from: addDays(to, -(CARD_DAYS - 1)), to }),
      // Unfiltered and whole, so the rank is the one the leaderboard shows.
      this.rankings.trending({ limit: Number.MAX_SAFE_INTEGER }),
    ]);
    const entry = trending.data.find((e) => e.model.id === model.id);
    return renderModelCard({
      site: { publicUrl: this.publicUrl, pageUrl: modelPageUrl(this.publicUrl, model.id) },
      theme,
      model: {
        id: model.id,
        description: model.description,
        licenseName: model.license?.name ?? null,
        parameters: model.parameters,
        releaseDate: model.releaseDate,
        tags: model.tags,
        downloads30d: model.stats.downloads30d,
        demo: model.stats.demo,
      },
      dailyDownloads: series.points.map((p) => p.value),
      trending: entry ? { rank: entry.rank, previousRank: entry.previousRank, asOf: trending.asOf } : null,
    });
  }

  /** The oEmbed answer for a page URL of this site; a renamed model's old URL gets the card under its new id. */
  async oembed(
    rawUrl: string,
    options: { maxWidthPx?: number; maxHeightPx?: number; cacheAgeSeconds: number },
  ): Promise<OembedDto> {
    let url: URL;
    try {
      url = new URL(rawUrl);
    } catch {
      throw new InvalidReferenceError('url', 'url must be an absolute http(s) URL of a page of this site');
    }
    const found = oembedTarget(this.publicUrl, url);
    if (!found) throw new NoEmbedError(rawUrl);
    const target: OembedTarget =
      found.kind === 'model' ? { kind: 'model', id: await this.canonicalId(found.id) } : found;
    const max = { widthPx: options.maxWidthPx, heightPx: options.maxHeightPx };
    const size = oembedSize(target, max);
    const title = widgetTitle(target);
    return {
      type: 'rich',
      version: '1.0',
      title,
      provider_name: PROVIDER_NAME,
      provider_url: `${this.publicUrl}/`,
      cache_age: options.cacheAgeSeconds,
      html: snippet(this.publicUrl, { kind: 'iframe', widget: target, max }),
      width: size.width,
      height: size.height,
    };
  }

  private async canonicalId(id: string): Promise<string> {
    try {
      return (await this.models.resolve(id)).slug;
    } catch (error) {
      if (error instanceof ModelMovedError) return error.to;
      throw error;
    }
  }
}
