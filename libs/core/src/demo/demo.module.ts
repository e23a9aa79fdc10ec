import { Module } from '@nestjs/common';
import { CatalogModule } from '../catalog';
import { StatsModule } from '../stats';
import { DemoService } from './demo.service';

/** The demo history of `npm run cli -- demo`. */
@Module({ imports: [CatalogModule, StatsModule], providers: [DemoService], exports: [DemoService] })
export class DemoModule {}
