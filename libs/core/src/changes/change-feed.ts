import { Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { EventEmitter2 } from '@nestjs/event-emitter';
import { ChangeChannel } from '@modelpulse/database';
import { isChange, splitChange, type Change } from './change-events';

/** How a handler learns where a change came from. */
export interface ChangeOrigin {
  /** Published by this process: the write waits for the handler before it returns. */
  local: boolean;
}

/**
 * The change feed. Owners publish inside their transaction; after it
 * commits, every process on the database emits the change on its
 * EventEmitter2 under the change's `type`, so handlers are plain
 * `@OnEvent('stats.landed')` methods taking `(change, origin)`. In the
 * writing process the write returns only once its handlers have run, so
 * what they do is in place for the next request. A rolled-back write
 * publishes nothing.
 */
@Injectable()
export class ChangeFeed implements OnApplicationBootstrap {
  constructor(
    private readonly channel: ChangeChannel,
    private readonly emitter: EventEmitter2,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.channel.subscribe(async (message, local) => {
      if (!isChange(message)) return;
      const origin: ChangeOrigin = { local };
      await this.emitter.emitAsync(message.type, message, origin);
    });
  }

  async publish(change: Change): Promise<void> {
    if ('modelIds' in change && change.modelIds.length === 0) return;
    for (const part of splitChange(change)) await this.channel.publish(part);
  }
}
