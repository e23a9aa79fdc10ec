import { Injectable } from '@nestjs/common';
import { TransactionHost } from '@nestjs-cls/transactional';
import type { TransactionalAdapterTypeOrm } from '@nestjs-cls/transactional-adapter-typeorm';
import type { EntityManager } from 'typeorm';

/** The transaction host every service opens transactions with. */
export type Transactions = TransactionHost<TransactionalAdapterTypeOrm>;

/**
 * What a repository speaks SQL through: the transaction a service opened
 * (`Transactions.withTransaction`), or the pool outside one. Each
 * repository asks for nothing else, so no signature carries a manager.
 */
@Injectable()
export abstract class TransactionalRepository {
  constructor(private readonly txHost: TransactionHost<TransactionalAdapterTypeOrm>) {}

  protected get db(): EntityManager {
    return this.txHost.tx;
  }

  /** Whether the statements of this call run in a transaction (one connection, one query at a time). */
  protected get inTransaction(): boolean {
    return this.txHost.isTransactionActive();
  }
}
