export * from './import.service';
export * from './stats-sync.service';
export * from './sync.module';
