import { Transform } from 'class-transformer';
import { IsOptional, Validate } from 'class-validator';
import { ComparedModelIds, toModelList } from '../../embeds/dto/widgets.query';

/** The compare page's form: the chart's list of models, where no model at all is the empty form. */
export class CompareQuery {
  @IsOptional()
  @Transform((params) => {
    const list = toModelList(params);
    return Array.isArray(list) && list.length === 0 ? undefined : list;
  })
  @Validate(ComparedModelIds)
  models?: string[];
}
