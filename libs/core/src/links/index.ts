export * from './hub-url';
export * from './links.errors';
export * from './links.module';
export * from './links.service';
