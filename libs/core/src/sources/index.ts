export * from './github.source';
export * from './hub-model';
export * from './hugging-face.source';
export * from './rate-limit-headers';
export * from './source-options';
export * from './sources.module';
export * from './upstream-http';
export * from './upstream-source';
