import { Transform } from 'class-transformer';
import { RankingQuery } from '../../rankings/dto/rankings.query';

/**
 * A GET form sends every field, the empty ones as `name=`. On the site an
 * empty field means "any", where the API would refuse it (or, for a list,
 * match nothing), so blanks are dropped before the API's own rules apply.
 */
export const blankIsAbsent = ({ value }: { value: unknown }) =>
  value === '' || (Array.isArray(value) && value.length === 0) ? undefined : value;

/** The home page's filters: the trending ranking's query, with blank fields left out. */
export class HomeQuery extends RankingQuery {
  @Transform(blankIsAbsent)
  override organization?: string[];

  @Transform(blankIsAbsent)
  override license?: string[];

  @Transform(blankIsAbsent)
  override task?: string;

  @Transform(blankIsAbsent)
  override minParams?: number;

  @Transform(blankIsAbsent)
  override maxParams?: number;

  @Transform(blankIsAbsent)
  override asOf?: string;
}
