import type { Relation } from './entities/model-relation.entity';

/** `auto` and `manual` are the hub's two kinds of gate; false for an open repository. */
export type GatedMode = false | 'auto' | 'manual';

/**
 * What the hub last said a model is, as the import keeps it in
 * `upstream_bindings.imported` (JSON: the date as ISO text), beside the
 * values a person may have set.
 */
export interface ImportedRecord {
  license: string | null;
  parametersTotal: number | null;
  arxivIds: string[];
  baseModels: { id: string; relation: Relation }[];
  task: string | null;
  tags: string[];
  createdAt: string | null;
  gated: GatedMode;
}
