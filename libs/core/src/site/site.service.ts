import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { AllConfig } from '@modelpulse/config';
import { DirectoryService, ModelsService, type ModelListQuery } from '../catalog';
import { RankingsService } from '../rankings';
import { comparedModels, EmptyStateService, explainEmptyRanking, explainModelWithoutStats } from '../embeds';
import { renderComparePage } from './compare-page';
import { hasFilters, renderHomePage, type HomeFilters } from './home-page';
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
    config: ConfigService<AllConfig, true>,
  ) {
    this.publicUrl = config.get('app.publicUrl', { infer: true });
  }

  /** The trending leaderboard with its filter form. */
  async home(filters: HomeFilters): Promise<string> {
    const [ranking, licenses] = await Promise.all([this.rankings.trending({ ...filters }), this.directory.licenses()]);
    const empty =
      ranking.data.length > 0
        ? null
        : explainEmptyRanking(await this.emptyState.state(), ranking.asOf, hasFilters(filters));
    return renderHomePage({ publicUrl: this.publicUrl, ranking, filters, licenses: licenses.data, empty });
  }

  /** The catalogue page: a page of the API's list for `query`, with the form as `form` says. */
  async catalogue(query: ModelListQuery, form: ModelsForm): Promise<string> {
    const [page, licenses] = await Promise.all([this.models.list(query), this.directory.licenses()]);
    return renderModelsPage({ page, form, licenses: licenses.data, continued: query.cursor !== undefined });
  }

  /**
   * One model's page. An old id throws `ModelMovedError` and an unknown one
   * `ModelNotFoundError` before anything else is read, as the API does.
   */
  async model(slug: string): Promise<string> {
    const model = await this.models.get(slug);
    const [lineage, history] = await Promise.all([
      this.models.lineage(model.id),
      this.rankings.rankHistory(model.id, {}),
    ]);
    const known = model.stats.downloadsAllTime !== null || model.stats.downloads30d !== null;
    const empty = known ? null : explainModelWithoutStats(await this.emptyState.state());
    return renderModelPage({ publicUrl: this.publicUrl, model, lineage, history, empty });
  }

  /**
   * The compare page for the ids asked, none for the empty form. Renamed ids
   * stand for their new ones and unknown ids are refused, as by the chart
   * the page shows (`comparedModels`).
   */
  async compare(ids: string[] | undefined): Promise<string> {
    const models = ids === undefined ? [] : comparedModels(await this.models.batch(ids));
    return renderComparePage({ models });
  }
}
