import { Module } from '@nestjs/common';
import { CatalogModule } from '../catalog';
import { BadgesService } from './badges.service';

/** README badges: SVG and shields.io endpoint JSON, from the catalogue's figures. */
@Module({
  imports: [CatalogModule],
  providers: [BadgesService],
  exports: [BadgesService],
})
export class BadgesModule {}
