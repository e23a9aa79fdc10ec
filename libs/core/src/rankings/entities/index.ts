export * from './ranking-snapshot.entity';

import { RankingSnapshotDayEntity, RankingSnapshotEntity } from './ranking-snapshot.entity';

export const RANKINGS_ENTITIES = [RankingSnapshotDayEntity, RankingSnapshotEntity];
