export * from './compare-page';
export * from './error-page';
export * from './home-page';
export { modelPath } from './layout';
export * from './model-page';
export * from './models-page';
export * from './site.module';
export * from './site.service';
