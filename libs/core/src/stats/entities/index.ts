export * from './daily-stat.entity';
export * from './download-event.entity';
export * from './link-visitor.entity';
export * from './observation.entity';
export * from './model-stats.entity';

import { DailyStatEntity } from './daily-stat.entity';
import { DownloadEventEntity } from './download-event.entity';
import { LinkVisitorEntity, VisitorSaltEntity } from './link-visitor.entity';
import { ObservationEntity } from './observation.entity';
import { ModelStatsEntity } from './model-stats.entity';

export const STATS_ENTITIES = [
  ObservationEntity,
  DailyStatEntity,
  DownloadEventEntity,
  LinkVisitorEntity,
  VisitorSaltEntity,
  ModelStatsEntity,
];
