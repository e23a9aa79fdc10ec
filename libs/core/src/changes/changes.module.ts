import { Module } from '@nestjs/common';
import { EventEmitterModule } from '@nestjs/event-emitter';
import { TransactionModule } from '@modelpulse/database';
import { ChangeFeed } from './change-feed';

/** The change feed, for the owners that publish and the handlers that follow. */
@Module({
  imports: [EventEmitterModule.forRoot(), TransactionModule],
  providers: [ChangeFeed],
  exports: [ChangeFeed, TransactionModule],
})
export class ChangesModule {}
