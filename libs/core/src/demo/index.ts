export * from './demo-history';
export * from './demo.module';
export * from './demo.service';
