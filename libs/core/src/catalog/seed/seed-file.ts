import type { Relation } from '../entities/model-relation.entity';

/** The shape of a catalogue seed file (`catalog.seed.json`). */
export interface SeedFile {
  licenses: { id: string; name: string; spdx: string | null; url: string | null; commercialUse: boolean | null }[];
  organizations: { id: string; name: string; url: string | null }[];
  papers: { arxivId: string; title: string }[];
  models: SeedModel[];
}

export interface SeedModel {
  id: string;
  description: string | null;
  license: string | null;
  parameters: number | null;
  activeParameters: number | null;
  releaseDate: string | null;
  tasks: string[];
  tags: string[];
  papers: string[];
  links: { huggingface: string | null; github: string | null; homepage: string | null };
  baseModels: { id: string; relation: Relation }[];
  /** Where a reader can check the facts. */
  source: string;
}
