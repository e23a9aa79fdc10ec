import type { DataSourceOptions } from 'typeorm';
import { ApiKeyEntity } from '@modelpulse/core/auth/api-key.entity';
import { CATALOG_ENTITIES } from '@modelpulse/core/catalog/entities';
import { SyncRunEntity } from '@modelpulse/core/jobs/sync-run.entity';
import { RANKINGS_ENTITIES } from '@modelpulse/core/rankings/entities';
import { STATS_ENTITIES } from '@modelpulse/core/stats/entities';
import { MIGRATIONS } from '../../../migrations';
import { SnakeNamingStrategy } from './snake-naming.strategy';

/** Every entity, listed explicitly: bundlers break glob paths. */
export const ENTITIES = [...CATALOG_ENTITIES, ApiKeyEntity, ...STATS_ENTITIES, ...RANKINGS_ENTITIES, SyncRunEntity];

/** The one TypeORM options object, used by Nest, the CLI and the tests. */
export function typeormOptions(url: string): DataSourceOptions {
  return {
    type: 'postgres',
    url,
    entities: ENTITIES,
    migrations: MIGRATIONS,
    migrationsTableName: 'migrations',
    migrationsTransactionMode: 'each',
    synchronize: false,
    migrationsRun: false,
    namingStrategy: new SnakeNamingStrategy(),
    applicationName: 'modelpulse',
    extra: { max: 10 },
  };
}
