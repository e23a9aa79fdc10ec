import { Global, Injectable, Module } from '@nestjs/common';

/**
 * The time as the domain sees it. Jobs, ingestion and series read it from
 * here, so tests can pin it and walk through simulated days without waiting.
 */
export abstract class Clock {
  abstract now(): Date;
}

@Injectable()
export class SystemClock extends Clock {
  now(): Date {
    return new Date();
  }
}

@Global()
@Module({ providers: [{ provide: Clock, useClass: SystemClock }], exports: [Clock] })
export class ClockModule {}
