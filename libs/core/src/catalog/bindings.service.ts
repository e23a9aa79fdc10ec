import { Injectable } from '@nestjs/common';
import { TransactionHost, type TransactionalAdapterTypeOrm } from '@modelpulse/database';
import { ChangeFeed } from '../changes';
import { BindingRepository, type HubTarget, type ImportTarget, type TrackedBinding } from './binding.repository';
import type { CuratedField } from './entities/model.entity';
import type { UpstreamStatus } from './entities/upstream-binding.entity';
import type { ImportedRecord } from './imported-record';

/** The models' upstream repositories, for the sync, the import and tracked links. */
@Injectable()
export class BindingsService {
  constructor(
    private readonly transactions: TransactionHost<TransactionalAdapterTypeOrm>,
    private readonly bindings: BindingRepository,
    private readonly changes: ChangeFeed,
  ) {}

  /** Bindings of live models, gone ones included. */
  tracked(): Promise<TrackedBinding[]> {
    return this.bindings.tracked();
  }

  /** Bindings read without trouble: status ok, no error, synced at the time of their reading. */
  markSynced(synced: { bindingId: string; at: Date }[]): Promise<void> {
    return this.bindings.markSynced(synced);
  }

  /** The state a fetch left a model's binding in (gone, gated, failing) with its error. */
  mark(binding: { bindingId: string; modelId: string }, status: UpstreamStatus, error: string): Promise<void> {
    return this.transactions.withTransaction(async () => {
      await this.bindings.mark([binding.bindingId], status, error, null);
      await this.changes.publish({ type: 'catalog.changed', modelIds: [binding.modelId] });
    });
  }

  /** Where a tracked link of the model leads. */
  hubTarget(modelId: string): Promise<HubTarget | null> {
    return this.bindings.findHubTarget(modelId);
  }

  knownHubIds(hubIds: string[]): Promise<Set<string>> {
    return this.bindings.knownHubIds(hubIds);
  }

  /** Holds one hub repository's imports apart until the caller's transaction ends. */
  lockHubId(hubId: string): Promise<void> {
    return this.bindings.lockHubId(hubId);
  }

  findImportTarget(hubId: string): Promise<ImportTarget | null> {
    return this.bindings.findImportTarget(hubId);
  }

  /** Keeps what the hub said beside the model; false when it said the same as last time. */
  saveImported(modelId: string, imported: ImportedRecord): Promise<boolean> {
    return this.transactions.withTransaction(async () => {
      const changed = await this.bindings.saveImported(modelId, imported);
      if (changed) await this.changes.publish({ type: 'catalog.changed', modelIds: [modelId] });
      return changed;
    });
  }

  awaitingBase(
    hubId: string,
  ): Promise<{ id: string; slug: string; curatedFields: CuratedField[]; imported: ImportedRecord }[]> {
    return this.bindings.awaitingBase(hubId);
  }
}
