import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, Max, Min } from 'class-validator';
import { RUN_KINDS, type RunKind } from '@modelpulse/core/jobs';

export class ListRunsQuery {
  @ApiPropertyOptional({ enum: RUN_KINDS, description: 'Only runs of this job' })
  @IsOptional()
  @IsIn(RUN_KINDS, { message: `kind must be one of ${RUN_KINDS.join(', ')}` })
  kind?: RunKind;

  @ApiPropertyOptional({ minimum: 1, maximum: 100, default: 20 })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'limit must be a whole number from 1 to 100' })
  @Min(1, { message: 'limit must be a whole number from 1 to 100' })
  @Max(100, { message: 'limit must be a whole number from 1 to 100' })
  limit?: number;
}

export class RequestRunDto {
  @ApiPropertyOptional({ enum: RUN_KINDS, default: 'stats-sync', description: 'Which job to run now' })
  @IsOptional()
  @IsIn(RUN_KINDS, { message: `kind must be one of ${RUN_KINDS.join(', ')}` })
  kind?: RunKind;
}
