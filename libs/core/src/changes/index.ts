export * from './change-events';
export * from './change-feed';
export * from './changes.module';
