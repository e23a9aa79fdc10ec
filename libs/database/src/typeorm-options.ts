import type { DataSourceOptions } from 'typeorm';
import { MIGRATIONS } from '../../../migrations';
import { deadlinePg } from './deadlines';
import { SnakeNamingStrategy } from './snake-naming.strategy';

/** An entity class; entities are listed as classes, never as glob paths, which bundlers break. */
export type EntityClass = new () => object;

/** The one TypeORM options object, used by Nest, the CLI and the tests, for the entities the caller names. */
export function typeormOptions(url: string, entities: readonly EntityClass[]): DataSourceOptions {
  return {
    type: 'postgres',
    // pg with a pool that keeps HTTP requests' deadlines (deadlines.ts); without one, it is pg.
    driver: deadlinePg,
    url,
    entities: [...entities],
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
