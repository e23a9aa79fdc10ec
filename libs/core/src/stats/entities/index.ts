export * from './daily-stat.entity';
export * from './download-event.entity';
export * from './link-visitor.entity';
export * from './observation.entity';
export * from './sync-run.entity';

import { DailyStatEntity } from './daily-stat.entity';
import { DownloadEventEntity } from './download-event.entity';
import { LinkVisitorEntity, VisitorSaltEntity } from './link-visitor.entity';
import { ObservationEntity } from './observation.entity';
import { SyncRunEntity } from './sync-run.entity';

export const STATS_ENTITIES = [
  ObservationEntity,
  DailyStatEntity,
  DownloadEventEntity,
  LinkVisitorEntity,
  VisitorSaltEntity,
  SyncRunEntity,
];
