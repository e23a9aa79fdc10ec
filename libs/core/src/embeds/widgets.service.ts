import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { AllConfig } from '@modelpulse/config';
import { DomainError, InvalidReferenceError, ModelMovedError, ModelsService } from '../catalog';
import { Clock } from '../clock';
import { RankingsService, type RankingFilters } from '../rankings';
import { StatsService } from '../stats';
import { addDays, utcDay } from '../days';
import { renderChart } from './chart';
import { comparedModels } from './compare';
import type { OembedDto } from './dto/oembed.dto';
import { explainEmptyRanking } from './empty-state';
import { EmptyStateService } from './empty-state.service';
import { modelPageUrl, renderModelCard, renderTrendingWidget, type WidgetTheme } from './widget';
import { oembedSize, snippet, widgetTitle } from './snippets';
import { oembedTarget, type OembedTarget } from './widget-oembed';

export const CHART_METRICS = ['downloads', 'likes', 'stars'] as const;
export type ChartMetric = (typeof CHART_METRICS)[number];

/** A URL oEmbed has nothing for: another site, or a page of this one that is no widget. */
export class NoEmbedError extends DomainError {
  readonly kind = 'not-found';
  override readonly field = 'url';
  constructor(url: string) {
    super(`There is no embed for ${url}: only this site's leaderboard and model pages have one`);
  }
}

/** What a chart draws: which figure, over how many days, and how wide. */
export interface ChartOptions {
  metric: ChartMetric;
  days: number;
  /** The drawing's width; the default when absent. */
  widthPx?: number;
}

const CARD_DAYS = 30;
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

  /** The last `days` days of a metric, today included, as an SVG line chart. */
  async chart(slug: string, query: ChartOptions): Promise<string> {
    const series = await this.stats.series(slug, { metric: query.metric, interval: 'day', ...this.window(query.days) });
    return renderChart({
      title: `${series.model}: ${query.metric} a day, last ${query.days} days`,
      from: series.from,
      to: series.to,
      points: series.points,
      widthPx: query.widthPx,
    });
  }

  /**
   * The same chart for several models, a line each, in the order asked (see
   * `comparedModels` for renamed and unknown ids).
   */
  async compareChart(ids: string[], query: ChartOptions): Promise<string> {
    const models = comparedModels(await this.models.batch(ids));
    const window = this.window(query.days);
    const series = await Promise.all(
      models.map((model) => this.stats.series(model.id, { metric: query.metric, interval: 'day', ...window })),
    );
    return renderChart({
      title: `${query.metric} a day, last ${query.days} days`,
      from: window.from,
      to: window.to,
      series: series.map((s) => ({ label: s.model, points: s.points })),
      widthPx: query.widthPx,
    });
  }

  private window(days: number): { from: string; to: string } {
    const to = utcDay(this.clock.now());
    return { from: addDays(to, -(days - 1)), to };
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
