import { Module } from '@nestjs/common';
import { getDataSourceToken } from '@nestjs/typeorm';
import { ClsPluginTransactional, TransactionHost } from '@nestjs-cls/transactional';
import { TransactionalAdapterTypeOrm } from '@nestjs-cls/transactional-adapter-typeorm';
import { ClsModule } from 'nestjs-cls';
import { ChangeChannel } from './change-channel';

export { TransactionHost, TransactionalAdapterTypeOrm };

/**
 * A service opens a transaction with `TransactionHost.withTransaction`, and
 * every repository it calls reads `tx` from the same continuation-local
 * store. The transaction host (nestjs-cls with its TypeORM adapter, on the data
 * source of DatabaseModule) and the change channel. Import it wherever a
 * repository or the change feed is provided; it is instantiated once.
 */
@Module({
  imports: [
    ClsModule.forRoot({
      global: true,
      plugins: [
        new ClsPluginTransactional({
          adapter: new TransactionalAdapterTypeOrm({ dataSourceToken: getDataSourceToken() }),
        }),
      ],
    }),
  ],
  providers: [ChangeChannel],
  exports: [ChangeChannel],
})
export class TransactionModule {}
