import { Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { EventEmitter2 } from '@nestjs/event-emitter';
import { ChangeChannel } from '@modelpulse/database';
import { isChange, splitChange, type Change } from './change-events';

/**
 * The change feed. Owners publish inside their transaction; after it
 * commits, every process on the database emits the change on its
 * EventEmitter2 under the change's `type`, so handlers are plain
 * `@OnEvent('stats.landed')` methods. A rolled-back write publishes nothing.
 */
@Injectable()
export class ChangeFeed implements OnApplicationBootstrap {
  constructor(
    private readonly channel: ChangeChannel,
    private readonly emitter: EventEmitter2,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.channel.subscribe((message) => {
      if (isChange(message)) this.emitter.emit(message.type, message);
    });
  }

  async publish(change: Change): Promise<void> {
    if ('modelIds' in change && change.modelIds.length === 0) return;
    for (const part of splitChange(change)) await this.channel.publish(part);
  }
}
