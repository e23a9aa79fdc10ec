import { Injectable } from '@nestjs/common';
import { TransactionHost, type TransactionalAdapterTypeOrm } from '@modelpulse/database';
import { ChangeFeed } from '../changes';
import { AliasRepository } from './alias.repository';
import { BindingRepository } from './binding.repository';
import { DirectoryRepository } from './directory.repository';
import { splitModelId } from './model-id';
import { ModelRepository, type UpstreamRename } from './model.repository';

/** Upstream renames, for the stats sync and the import alike. */
@Injectable()
export class RenamesService {
  constructor(
    private readonly transactions: TransactionHost<TransactionalAdapterTypeOrm>,
    private readonly models: ModelRepository,
    private readonly bindings: BindingRepository,
    private readonly aliases: AliasRepository,
    private readonly directory: DirectoryRepository,
    private readonly changes: ChangeFeed,
  ) {}

  /**
   * Follows a chain of upstream renames (`from`, each id of `via`, then
   * `to`) one step after the other, in one transaction: a model renamed
   * twice since it was last read keeps both old ids as aliases.
   */
  followUpstreamRenames(
    rename: UpstreamRename & { via?: string[] },
  ): Promise<{ slug: string; modelRenamed: boolean; bindingMoved: boolean }> {
    const { via = [], ...step } = rename;
    const chain = [step.from, ...via, step.to];
    return this.transactions.withTransaction(async () => {
      const result = { slug: '', modelRenamed: false, bindingMoved: false };
      for (let i = 1; i < chain.length; i++) {
        const done = await this.followUpstreamRename({ ...step, from: chain[i - 1], to: chain[i] });
        result.slug = done.slug;
        result.modelRenamed ||= done.modelRenamed;
        result.bindingMoved ||= done.bindingMoved;
      }
      return result;
    });
  }

  /**
   * Follows an upstream rename, in the caller's transaction or one of its
   * own. The model's binding to `from` takes the new id, unless another
   * model is bound to the new hub repository (a hub repository is one model;
   * a person must sort that out). The model itself takes the new id only on
   * the hub, only when its id was the old hub id (an id a person chose
   * stays), and only when no model, deleted ones included, has the new id;
   * its old id then stays as an alias that redirects.
   */
  followUpstreamRename(
    rename: UpstreamRename,
  ): Promise<{ slug: string; modelRenamed: boolean; bindingMoved: boolean }> {
    return this.transactions.withTransaction(async () => {
      const { modelId, upstream, from, to } = rename;
      const bindingMoved = await this.bindings.follow(rename);
      if (bindingMoved) await this.changes.publish({ type: 'catalog.changed', modelIds: [modelId] });
      const current = await this.models.slugOf(modelId);
      const renameModel =
        upstream === 'huggingface' &&
        current.toLowerCase() === from.toLowerCase() &&
        current !== to &&
        !(await this.models.slugTaken(to, modelId));
      if (!renameModel) return { slug: current, modelRenamed: false, bindingMoved };
      const { organization, name } = splitModelId(to);
      const organizationId = await this.directory.ensureOrganization(organization);
      const slug = `${organizationId}/${name}`;
      await this.models.rename(modelId, slug, organizationId, name);
      // The new id is live now; an alias with it (of any model) would never be read again.
      await this.aliases.drop(slug);
      if (current.toLowerCase() !== slug.toLowerCase()) await this.aliases.point(current, modelId);
      await this.changes.publish({ type: 'model.renamed', modelId, from: current, to: slug });
      return { slug, modelRenamed: true, bindingMoved };
    });
  }
}
