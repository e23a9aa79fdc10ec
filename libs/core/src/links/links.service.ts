import { Inject, Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { AllConfig } from '@modelpulse/config';
import { BindingsService, ModelNotFoundError, ModelsService } from '../catalog';
import { StatsService } from '../stats';
import { hubUrl } from './hub-url';
import { NoHubRepositoryError } from './links.errors';

export interface LinkClick {
  /** A path inside the repository (checked with filePathProblem), or null for the repository page. */
  file: string | null;
  /** A branch, tag or commit (checked with revisionProblem); null means main. */
  revision: string | null;
  /** Who clicked: client address and user agent. Only a salted daily hash of it is stored. */
  visitor: string;
}

/** Tracked download links: count the click, then send the visitor to the file on the hub. */
@Injectable()
export class LinksService {
  private readonly hub: string;

  constructor(
    @Inject(ConfigService) config: ConfigService<AllConfig, true>,
    private readonly bindings: BindingsService,
    private readonly stats: StatsService,
    private readonly models: ModelsService,
  ) {
    this.hub = config.get('app.hubUrl', { infer: true });
  }

  /** Counts one click on the model's link and answers where to send the visitor. */
  async follow(slug: string, click: LinkClick): Promise<{ url: string }> {
    const target = await this.bindings.hubTarget((await this.models.resolve(slug)).id);
    // Purged between the two reads.
    if (!target) throw new ModelNotFoundError(slug);
    if (target.hubRepo === null || target.hubStatus === 'gone') {
      throw new NoHubRepositoryError(target.slug, target.hubStatus === 'gone');
    }
    await this.stats.recordLinkClick(target.modelId, click.visitor, click.file);
    return { url: hubUrl(this.hub, target.hubRepo, click.file, click.revision) };
  }
}
