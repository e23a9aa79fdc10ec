import { Global, Module } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { AllConfig } from '@modelpulse/config';
import { DatabaseServer } from './database-server';
import { runMigrations } from './migrate';
import { typeormOptions } from './typeorm-options';

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

/** PostgreSQL through TypeORM, migrated before anything else uses it. */
@Module({
  imports: [
    DatabaseServerModule,
    TypeOrmModule.forRootAsync({
      inject: [DatabaseServer],
      useFactory: (server: DatabaseServer) => typeormOptions(server.url),
      dataSourceFactory: async (options) => {
        const dataSource = await new DataSource(options!).initialize();
        await runMigrations(dataSource);
        return dataSource;
      },
    }),
  ],
  exports: [TypeOrmModule],
})
export class DatabaseModule {}
