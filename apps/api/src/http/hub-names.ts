import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsOptional, IsString, Matches } from 'class-validator';
import { ValidationProblem, type FieldError } from './problems';

/** Our name of each Hugging Face Hub list parameter (docs/api.md, "The Hub's names"). */
export const HUB_NAMES = {
  search: 'q',
  author: 'organization',
  pipeline_tag: 'task',
  filter: 'tag',
  direction: 'order',
} as const;

export const sameText = (a: string, b: string): boolean => a.toLowerCase() === b.toLowerCase();

export const sameSet = (a: string[], b: string[]): boolean => {
  const lower = (list: string[]) => [...new Set(list.map((v) => v.toLowerCase()))].sort().join('\n');
  return lower(a) === lower(b);
};

/**
 * Our value of a parameter given under our name, the Hub's, or both; both
 * must agree (in any letter case, a list in any order), or both are named
 * in `errors`, for a 400.
 */
export function either<T>(
  errors: FieldError[],
  hubName: keyof typeof HUB_NAMES,
  ours: T | undefined,
  theirs: T | undefined,
  same: (a: T, b: T) => boolean,
): T | undefined {
  if (ours === undefined) return theirs;
  if (theirs !== undefined && !same(ours, theirs)) {
    const ourName = HUB_NAMES[hubName];
    const message = `${hubName} is the Hugging Face Hub's name for ${ourName}, and the two disagree: give one`;
    errors.push({ field: ourName, message }, { field: hubName, message });
  }
  return ours;
}

const toList = ({ value }: { value: unknown }) =>
  typeof value === 'string'
    ? value
        .split(',')
        .map((part) => part.trim())
        .filter(Boolean)
    : value;

/** The Hub's names of the catalogue filters the list and the rankings share. */
export class HubFilterNamesQuery {
  @ApiPropertyOptional({
    description: 'The Hugging Face Hub\u2019s name for `organization`: organization slugs, comma-separated',
    example: 'deepseek-ai',
  })
  @IsOptional()
  @Transform(toList)
  @IsString({ each: true })
  @Matches(/^[A-Za-z0-9][A-Za-z0-9._-]{0,95}$/, {
    each: true,
    message: 'author must be organization slugs, comma-separated',
  })
  author?: string[];

  @ApiPropertyOptional({ description: 'The Hugging Face Hub\u2019s name for `task`', example: 'text-generation' })
  @IsOptional()
  @IsString({ message: 'pipeline_tag must be given once' })
  @Matches(/^[a-z0-9][a-z0-9-]{0,63}$/i, { message: 'pipeline_tag must be a task id such as text-generation' })
  pipeline_tag?: string;
}

/** The organization and task filters of a query that may use the Hub's names; disagreeing names are a 400. */
export function hubFilters(query: {
  organization?: string[];
  author?: string[];
  task?: string;
  pipeline_tag?: string;
}): { organizations?: string[]; task?: string } {
  const errors: FieldError[] = [];
  const organizations = either(errors, 'author', query.organization, query.author, sameSet);
  const task = either(errors, 'pipeline_tag', query.task, query.pipeline_tag, sameText);
  if (errors.length > 0) throw new ValidationProblem(errors);
  return { organizations, task };
}
