import { IMPORTED_FIELDS, type ImportedField, type ImportedValuesDto, type ModelUpstreamDto } from './dto/model.dto';
import type { Upstream } from './entities/upstream-binding.entity';
import type { BindingRow } from './binding.repository';
import type { ModelRow } from './model-rows.repository';

/** Where people see a repository; the hub's public site, whatever endpoint the sync reads. */
export const UPSTREAM_SITES: Record<Upstream, string> = {
  huggingface: 'https://huggingface.co/',
  github: 'https://github.com/',
};

const sortedLower = (values: string[]) => values.map((v) => v.toLowerCase()).sort();
const sameSet = (a: string[], b: string[]) => {
  const x = sortedLower(a);
  const y = sortedLower(b);
  return x.length === y.length && x.every((v, i) => v === y[i]);
};
const lineageKeys = (bases: { id: string; relation: string }[]) => bases.map((b) => `${b.id} ${b.relation}`);

/** The upstream's values in the catalogue's terms, and the fields where the model shows others. */
export function importedValues(binding: BindingRow, row: ModelRow): ImportedValuesDto | null {
  const record = binding.imported;
  if (record === null) return null;
  const values = {
    license: record.license,
    parameters: record.parametersTotal,
    tasks: record.task ? [record.task.toLowerCase()] : [],
    papers: record.arxivIds,
    baseModels: record.baseModels.map((b) => ({ id: b.id, relation: b.relation })),
  };
  const current: Record<ImportedField, boolean> = {
    license: (values.license?.toLowerCase() ?? null) === (row.license?.id ?? null),
    parameters: values.parameters === row.parameters,
    tasks: sameSet(values.tasks, row.tasks),
    papers: sameSet(
      values.papers,
      row.papers.map((p) => p.arxivId),
    ),
    baseModels: sameSet(
      lineageKeys(values.baseModels),
      lineageKeys(row.baseModels.map((b) => ({ id: b.slug, relation: b.relation }))),
    ),
  };
  const differs = IMPORTED_FIELDS.filter((field) => !current[field]);
  return { ...values, differs };
}

export function toUpstreamDto(binding: BindingRow, row: ModelRow): ModelUpstreamDto {
  return {
    upstream: binding.upstream,
    id: binding.externalId,
    url: UPSTREAM_SITES[binding.upstream] + binding.externalId,
    status: binding.status,
    lastSyncedAt: binding.lastSyncedAt?.toISOString() ?? null,
    lastError: binding.lastError,
    imported: importedValues(binding, row),
  };
}
