import { Transform } from 'class-transformer';
import { IsISO8601, IsOptional, Matches } from 'class-validator';
import { blankIsAbsent } from './home.query';

/** A model page as of a day: its figures and ranks then (the ranking's links carry the day they rank). */
export class ModelPageQuery {
  @IsOptional()
  @Transform(blankIsAbsent)
  @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: 'asOf must be a date like 2025-01-21' })
  @IsISO8601({ strict: true }, { message: 'asOf must be a real date' })
  asOf?: string;
}
