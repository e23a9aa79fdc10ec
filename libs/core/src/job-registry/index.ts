export * from './job-registry';
export * from './job-registry.module';
