export * from './pages';
export * from './site.module';
export * from './site.service';
