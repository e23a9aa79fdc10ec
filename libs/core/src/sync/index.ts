export * from './bindings.repository';
export * from './stats-sync.module';
export * from './stats-sync.service';
