/** Which models a comparison (the chart of several, the compare page) draws, from the ids a reader gave. Pure. */
import { InvalidReferenceError, type ModelDto, type ModelPageDto } from '../catalog';
import { MAX_CHART_SERIES } from './chart';

/** The most models one comparison draws: one line each, each with a style of its own. */
export const MAX_COMPARED_MODELS = MAX_CHART_SERIES;

/**
 * The models of a batch lookup of the ids asked, in the order asked, each
 * once. An old id of a renamed model stands for the new one, as in
 * `GET /v1/models?ids=`; an id that names no live model is a mistake to
 * say so (the field is `models`), not a line left out.
 */
export function comparedModels(found: ModelPageDto): ModelDto[] {
  const missing = found.missing ?? [];
  if (missing.length > 0) {
    throw new InvalidReferenceError(
      'models',
      `unknown model ${missing.map((id) => `"${id}"`).join(', ')}; the catalogue at /models finds ids`,
    );
  }
  return found.data;
}
