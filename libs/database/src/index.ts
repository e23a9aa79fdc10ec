export * from './database-server';
export * from './database.module';
export * from './embedded-postgres';
export * from './migrate';
export * from './snake-naming.strategy';
export * from './typeorm-options';
export * from './lifecycle';
