import { Transform } from 'class-transformer';
import { ListModelsQuery } from '../../models/dto/list-models.query';
import { blankIsAbsent } from './home.query';

/** The catalogue page's form: the API list's query, with the blank fields a GET form sends left out. */
export class ModelsQuery extends ListModelsQuery {
  @Transform(blankIsAbsent)
  override q?: string;

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
}
