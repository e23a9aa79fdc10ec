export * from './bigint.transformer';
export * from './license.entity';
export * from './model-alias.entity';
export * from './model-paper.entity';
export * from './model-relation.entity';
export * from './model.entity';
export * from './organization.entity';
export * from './paper.entity';
export * from './seed-state.entity';
export * from './upstream-binding.entity';

import { LicenseEntity } from './license.entity';
import { ModelAliasEntity } from './model-alias.entity';
import { ModelPaperEntity } from './model-paper.entity';
import { ModelRelationEntity } from './model-relation.entity';
import { ModelEntity } from './model.entity';
import { OrganizationEntity } from './organization.entity';
import { PaperEntity } from './paper.entity';
import { SeedStateEntity } from './seed-state.entity';
import { UpstreamBindingEntity } from './upstream-binding.entity';

export const CATALOG_ENTITIES = [
  OrganizationEntity,
  LicenseEntity,
  PaperEntity,
  ModelEntity,
  ModelPaperEntity,
  ModelRelationEntity,
  UpstreamBindingEntity,
  SeedStateEntity,
  ModelAliasEntity,
];
