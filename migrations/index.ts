import type { MigrationInterface } from 'typeorm';
import { Catalog1795870518868 } from './1795870518868-Catalog';

/** Every migration, in order, listed explicitly: bundlers break glob paths. */
export const MIGRATIONS: (new () => MigrationInterface)[] = [Catalog1795870518868];
