import { Module } from '@nestjs/common';
import { getDataSourceToken } from '@nestjs/typeorm';
import { ClsPluginTransactional, TransactionHost } from '@nestjs-cls/transactional';
import { TransactionalAdapterTypeOrm } from '@nestjs-cls/transactional-adapter-typeorm';
import { ClsModule } from 'nestjs-cls';
import type { DataSource, EntityManager, QueryRunner } from 'typeorm';
import { ChangeChannel, deliverCommitted } from './change-channel';

export { TransactionHost, TransactionalAdapterTypeOrm };

/**
 * The TypeORM adapter, with one addition: once a transaction it opened has
 * committed and given its connection back, this process's change-feed
 * messages of it are delivered (and awaited) before the call returns.
 */
function committedChangesAdapter(): TransactionalAdapterTypeOrm {
  const adapter = new TransactionalAdapterTypeOrm({ dataSourceToken: getDataSourceToken() });
  const options = adapter.optionsFactory;
  adapter.optionsFactory = (dataSource: DataSource) => {
    const base = options(dataSource);
    return {
      ...base,
      wrapWithTransaction: async (txOptions, fn, setClient) => {
        let runner: QueryRunner | undefined;
        const result = await base.wrapWithTransaction(txOptions, fn, (client?: EntityManager) => {
          runner ??= client?.queryRunner;
          setClient(client);
        });
        await deliverCommitted(dataSource, runner);
        return result;
      },
    };
  };
  return adapter;
}

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
      plugins: [new ClsPluginTransactional({ adapter: committedChangesAdapter() })],
    }),
  ],
  providers: [ChangeChannel],
  exports: [ChangeChannel],
})
export class TransactionModule {}
