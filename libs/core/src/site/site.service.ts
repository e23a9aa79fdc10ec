import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { AllConfig } from '@modelpulse/config';
import { DirectoryService, InvalidReferenceError, ModelsService, type ModelListQuery } from '../catalog';
import { Clock } from '../clock';
import { RankingsService } from '../rankings';
import { StatsQueries } from '../stats';
import { addDays, utcDay } from '../days';
import { comparedModels, EmptyStateService, explainEmptyRanking, explainModelWithoutStats } from '../embeds';
import { renderComparePage } from './compare-page';
import { downloadsOver, hasFilters, renderHomePage, SPARKLINE_DAYS, type HomeFilters } from './home-page';
import { renderModelPage } from './model-page';
import { renderModelsPage, type ModelsForm } from './models-page';

/** The browsable site: gathers what a page shows from the catalogue and the rankings, then renders it. */
@Injectable()
export class SiteService {
  private readonly publicUrl: string;

  constructor(
    private readonly models: ModelsService,
    private readonly rankings: RankingsService,
    private readonly directory: DirectoryService,
    private readonly emptyState: EmptyStateService,
    private readonly statsQueries: StatsQueries,
    private readonly clock: Clock,
    config: ConfigService<AllConfig, true>,
  ) {
    this.publicUrl = config.get('app.publicUrl', { infer: true });
  }

  /** The trending leaderboard with its filter form. */
  async home(filters: HomeFilters): Promise<string> {
    const [ranking, licenses] = await Promise.all([this.rankings.trending({ ...filters }), this.directory.licenses()]);
    const [activity, empty] = await Promise.all([
      this.statsQueries.activity(
        ranking.data.map((entry) => entry.model.id),
        addDays(ranking.asOf, -(SPARKLINE_DAYS - 1)),
        ranking.asOf,
      ),
      ranking.data.length > 0
        ? null
        : this.emptyState.state().then((state) => explainEmptyRanking(state, ranking.asOf, hasFilters(filters))),
    ]);
    return renderHomePage({ publicUrl: this.publicUrl, ranking, activity, filters, licenses: licenses.data, empty });
  }

  /** The catalogue page: a page of the API's list for `query`, with the form as `form` says. */
  async catalogue(query: ModelListQuery, form: ModelsForm): Promise<string> {
    const [page, licenses] = await Promise.all([this.models.list(query), this.directory.licenses()]);
    return renderModelsPage({ page, form, licenses: licenses.data, continued: query.cursor !== undefined });
  }

  /**
   * One model's page, as of now or of a past day (`asOf`). An old id throws
   * `ModelMovedError` and an unknown one `ModelNotFoundError` before
   * anything else is read, as the API does.
   */
  async model(slug: string, asOf?: string): Promise<string> {
    const today = utcDay(this.clock.now());
    if (asOf !== undefined && asOf > today) throw new InvalidReferenceError('asOf', 'asOf must not be in the future');
    const model = await this.models.get(slug);
    const day = asOf ?? addDays(today, -1);
    const [lineage, history, activity] = await Promise.all([
      this.models.lineage(model.id),
      this.rankings.rankHistory(model.id, { to: day }),
      asOf === undefined ? null : this.statsQueries.activity([model.id], addDays(day, -29), day),
    ]);
    const known = model.stats.downloadsAllTime !== null || model.stats.downloads30d !== null;
    const empty = known ? null : explainModelWithoutStats(await this.emptyState.state());
    const figures = activity?.get(model.id);
    const past =
      asOf === undefined
        ? null
        : {
            day,
            downloads7d: downloadsOver(figures, day, 7),
            downloads30d: downloadsOver(figures, day, 30),
            likes: figures?.likes ?? null,
          };
    return renderModelPage({ publicUrl: this.publicUrl, model, lineage, history, empty, past });
  }

  /**
   * The compare page for the ids asked, none for the empty form. Renamed ids
   * stand for their new ones and unknown ids are refused, as by the chart
   * the page shows (`comparedModels`).
   */
  async compare(ids: string[] | undefined): Promise<string> {
    const models = ids === undefined ? [] : comparedModels(await this.models.batch(ids));
    return renderComparePage({ models, publicUrl: this.publicUrl });
  }
}
