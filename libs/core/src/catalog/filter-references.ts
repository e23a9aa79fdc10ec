import { InvalidReferenceError } from './catalog.errors';

/**
 * The Hugging Face Hub's pipeline tags: a task filter may name any of them
 * (a task no model of ours has yet is an empty list, not a mistake), or a
 * task some model in the catalogue carries.
 */
export const HUB_TASKS: readonly string[] = [
  'any-to-any',
  'audio-classification',
  'audio-text-to-text',
  'audio-to-audio',
  'automatic-speech-recognition',
  'depth-estimation',
  'document-question-answering',
  'feature-extraction',
  'fill-mask',
  'graph-ml',
  'image-classification',
  'image-feature-extraction',
  'image-segmentation',
  'image-text-to-text',
  'image-to-3d',
  'image-to-image',
  'image-to-text',
  'image-to-video',
  'keypoint-detection',
  'mask-generation',
  'object-detection',
  'question-answering',
  'reinforcement-learning',
  'robotics',
  'sentence-similarity',
  'summarization',
  'table-question-answering',
  'tabular-classification',
  'tabular-regression',
  'text-classification',
  'text-generation',
  'text-ranking',
  'text-retrieval',
  'text-to-3d',
  'text-to-audio',
  'text-to-image',
  'text-to-speech',
  'text-to-video',
  'text2text-generation',
  'time-series-forecasting',
  'token-classification',
  'translation',
  'unconditional-image-generation',
  'video-classification',
  'video-text-to-text',
  'visual-question-answering',
  'voice-activity-detection',
  'zero-shot-classification',
  'zero-shot-image-classification',
  'zero-shot-object-detection',
];

/** The reference values a list or ranking filter names. */
export interface FilterReferences {
  licenses?: string[];
  organizations?: string[];
  task?: string;
}

/** What the catalogue knows, each in lower case. */
export interface KnownReferences {
  licenses: ReadonlySet<string>;
  organizations: ReadonlySet<string>;
  tasks: ReadonlySet<string>;
}

/**
 * Throws for the first filter that names something the catalogue does not
 * know: `license=bogus` is a mistake to say so, not an empty list. Pure.
 */
export function assertKnownReferences(filters: FilterReferences, known: KnownReferences): void {
  const unknownLicenses = (filters.licenses ?? []).filter((l) => !known.licenses.has(l.toLowerCase()));
  if (unknownLicenses.length > 0) {
    throw new InvalidReferenceError(
      'license',
      `unknown licence ${unknownLicenses.map((l) => `"${l}"`).join(', ')}; GET /v1/licenses lists them`,
    );
  }
  const unknownOrganizations = (filters.organizations ?? []).filter((o) => !known.organizations.has(o.toLowerCase()));
  if (unknownOrganizations.length > 0) {
    throw new InvalidReferenceError(
      'organization',
      `unknown organization ${unknownOrganizations.map((o) => `"${o}"`).join(', ')}; GET /v1/organizations lists them`,
    );
  }
  if (filters.task !== undefined && !known.tasks.has(filters.task.toLowerCase())) {
    throw new InvalidReferenceError(
      'task',
      `unknown task "${filters.task}"; a Hugging Face pipeline tag such as text-generation`,
    );
  }
}
