export * from './format';
export * from './badge';
export * from './badges.module';
export * from './badges.service';
