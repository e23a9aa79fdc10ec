import { ApiKeyEntity } from './auth';
import { CATALOG_ENTITIES } from './catalog';
import { JOBS_ENTITIES } from './jobs';
import { RANKINGS_ENTITIES } from './rankings';
import { STATS_ENTITIES } from './stats';

/** Every entity of the domain, for the one TypeORM options object: listed explicitly, since bundlers break glob paths. */
export const CORE_ENTITIES = [
  ...CATALOG_ENTITIES,
  ApiKeyEntity,
  ...STATS_ENTITIES,
  ...RANKINGS_ENTITIES,
  ...JOBS_ENTITIES,
];
