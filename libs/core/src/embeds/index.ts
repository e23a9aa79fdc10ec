export * from './format';
export * from './chart';
