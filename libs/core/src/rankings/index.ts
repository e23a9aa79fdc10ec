export * from './dto/ranking.dto';
export * from './history';
export * from './rankings.module';
export * from './rankings.service';
export * from './rollup.job';
export * from './trending';
export * from './trending-computation';
export { RANKINGS_ENTITIES } from './entities';
export * from './snapshot-refresher';
