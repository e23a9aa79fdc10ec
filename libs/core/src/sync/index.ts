export * from './discovery.job';
export * from './import.service';
export * from './stats-sync.job';
export * from './stats-sync.service';
export * from './sync.module';
