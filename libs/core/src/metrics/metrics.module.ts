import { Module } from '@nestjs/common';
import { Metrics } from './metrics';

/** One registry per application: the API, the worker and both in `npm start` each import this once. */
@Module({ providers: [Metrics], exports: [Metrics] })
export class MetricsModule {}
