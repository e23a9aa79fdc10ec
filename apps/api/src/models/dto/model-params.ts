import { ApiProperty } from '@nestjs/swagger';
import { Matches } from 'class-validator';

const PART = /^(?!.*(?:--|\.\.))[A-Za-z0-9](?:[A-Za-z0-9._-]{0,94}[A-Za-z0-9_])?$/;

export class ModelParams {
  @ApiProperty({ example: 'deepseek-ai', description: 'Organization slug (any letter case)' })
  @Matches(PART, { message: 'org must be an organization slug (letters, digits, - _ .)' })
  org!: string;

  @ApiProperty({ example: 'DeepSeek-R1', description: 'Model name (any letter case)' })
  @Matches(PART, { message: 'name must be a model name (letters, digits, - _ .)' })
  name!: string;
}
