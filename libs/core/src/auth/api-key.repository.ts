import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, QueryFailedError, type Repository } from 'typeorm';
import { ApiKeyEntity } from './api-key.entity';
import { LAST_USED_RESOLUTION_MS } from './api-key-secret';
import type { Scope } from './scopes';

export interface NewApiKey {
  id: string;
  name: string;
  prefix: string;
  secretHash: Buffer;
  scopes: Scope[];
  sources: string[];
}

const isPrefixTaken = (error: unknown) =>
  error instanceof QueryFailedError &&
  (error.driverError as { code?: string; constraint?: string }).code === '23505' &&
  (error.driverError as { constraint?: string }).constraint === 'api_keys_prefix_key';

@Injectable()
export class ApiKeyRepository {
  private readonly keys: Repository<ApiKeyEntity>;

  constructor(@InjectDataSource() dataSource: DataSource) {
    this.keys = dataSource.getRepository(ApiKeyEntity);
  }

  /** The stored key, or null when another key already has its prefix (the caller draws again). */
  async insertUnlessPrefixTaken(key: NewApiKey): Promise<ApiKeyEntity | null> {
    try {
      await this.keys.insert(key);
    } catch (error) {
      if (isPrefixTaken(error)) return null;
      throw error;
    }
    return this.keys.findOneByOrFail({ id: key.id });
  }

  /** The live (not revoked) key with this prefix. */
  findLiveByPrefix(prefix: string): Promise<ApiKeyEntity | null> {
    return this.keys.createQueryBuilder('k').where('k.prefix = :prefix AND k.revoked_at IS NULL', { prefix }).getOne();
  }

  /** Every key, revoked ones too, oldest first. */
  listAll(): Promise<ApiKeyEntity[]> {
    return this.keys.find({ order: { createdAt: 'ASC', id: 'ASC' } });
  }

  /** Marks the key revoked (a second revoke keeps the first time); false when there is no such key. */
  async revoke(id: string): Promise<boolean> {
    const result = await this.keys
      .createQueryBuilder()
      .update()
      .set({ revokedAt: () => 'coalesce(revoked_at, now())' })
      .where('id = :id', { id })
      .execute();
    return (result.affected ?? 0) > 0;
  }

  /**
   * Records a use unless one was recorded within the last minute; the
   * condition sits in SQL so replicas racing on one key write once.
   */
  async touchLastUsed(id: string): Promise<void> {
    await this.keys
      .createQueryBuilder()
      .update()
      .set({ lastUsedAt: () => 'now()' })
      .where(
        `id = :id AND (last_used_at IS NULL OR last_used_at <= now() - :resolutionMs * interval '1 millisecond')`,
        { id, resolutionMs: LAST_USED_RESOLUTION_MS },
      )
      .execute();
  }
}
