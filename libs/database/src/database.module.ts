import { Global, Module, type DynamicModule } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { AllConfig } from '@modelpulse/config';
import { DatabaseServer } from './database-server';
import { runMigrations } from './migrate';
import { startupStep } from './startup-steps';
import { typeormOptions, type EntityClass } from './typeorm-options';

const databaseServerProvider = {
  provide: DatabaseServer,
  inject: [ConfigService],
  useFactory: (config: ConfigService<AllConfig, true>) =>
    DatabaseServer.open({
      url: config.get('db.url', { infer: true }),
      dataDir: config.get('db.dataDir', { infer: true }),
    }),
};

@Global()
@Module({
  providers: [databaseServerProvider],
  exports: [databaseServerProvider],
})
class DatabaseServerModule {}

export interface DatabaseModuleOptions {
  /** The entity classes the data source maps, named by the app that owns them. */
  entities: readonly EntityClass[];
}

/**
 * One module per entity list, so app modules that each ask for the same list
 * (the standalone's API and worker) share one module and so one data source.
 */
const modules = new WeakMap<readonly EntityClass[], DynamicModule>();

/** PostgreSQL through TypeORM, migrated before anything else uses it. */
@Module({})
export class DatabaseModule {
  static forRoot(options: DatabaseModuleOptions): DynamicModule {
    let module = modules.get(options.entities);
    if (!module) {
      module = {
        module: DatabaseModule,
        imports: [
          DatabaseServerModule,
          TypeOrmModule.forRootAsync({
            inject: [DatabaseServer],
            useFactory: (server: DatabaseServer) => typeormOptions(server.url, options.entities),
            dataSourceFactory: async (dataSourceOptions) => {
              const dataSource = await new DataSource(dataSourceOptions!).initialize();
              startupStep('migrating the database');
              await runMigrations(dataSource);
              return dataSource;
            },
          }),
        ],
        exports: [TypeOrmModule],
      };
      modules.set(options.entities, module);
    }
    return module;
  }
}
