import type { MigrationInterface } from 'typeorm';
import { Catalog1795870518868 } from './1795870518868-Catalog';
import { ApiKeys1795906802411 } from './1795906802411-ApiKeys';
import { Stats1795906803467 } from './1795906803467-Stats';
import { Rankings1795909001590 } from './1795909001590-Rankings';
import { SnapshotStaleness1796157910276 } from './1796157910276-SnapshotStaleness';
import { HubDownloads30d1796157946488 } from './1796157946488-HubDownloads30d';
import { RunHeartbeats1796164560839 } from './1796164560839-RunHeartbeats';
import { KeySources1796175246860 } from './1796175246860-KeySources';
import { ModelStatsDemo1796196070357 } from './1796196070357-ModelStatsDemo';
import { SearchIndex1796221442095 } from './1796221442095-SearchIndex';

/** Every migration, in order, listed explicitly: bundlers break glob paths. */
export const MIGRATIONS: (new () => MigrationInterface)[] = [
  Catalog1795870518868,
  ApiKeys1795906802411,
  Stats1795906803467,
  Rankings1795909001590,
  SnapshotStaleness1796157910276,
  HubDownloads30d1796157946488,
  RunHeartbeats1796164560839,
  KeySources1796175246860,
  ModelStatsDemo1796196070357,
  SearchIndex1796221442095,
];
