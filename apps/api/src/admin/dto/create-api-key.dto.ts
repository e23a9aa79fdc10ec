import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsIn, IsOptional, IsString, Length } from 'class-validator';
import { API_KEY_MAX_SOURCES, API_KEY_NAME_MAX_LENGTH, SCOPES, type Scope } from '@modelpulse/core/auth';

export class CreateApiKeyDto {
  @ApiProperty({
    example: 'mirror uploader',
    description: 'Tells people what the key is for; spaces around it are dropped',
    minLength: 1,
    maxLength: API_KEY_NAME_MAX_LENGTH,
  })
  @IsString()
  @Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value))
  @Length(1, API_KEY_NAME_MAX_LENGTH, { message: `name must be 1 to ${API_KEY_NAME_MAX_LENGTH} characters` })
  name!: string;

  @ApiProperty({
    enum: SCOPES,
    enumName: 'Scope',
    isArray: true,
    minItems: 1,
    example: ['stats:ingest'],
    description: '`admin` manages keys; it does not include the other scopes',
  })
  @IsArray()
  @ArrayMinSize(1, { message: 'scopes must hold at least one scope' })
  @ArrayMaxSize(SCOPES.length * 2)
  @IsIn(SCOPES, { each: true, message: `scopes must each be one of ${SCOPES.join(', ')}` })
  scopes!: Scope[];

  @ApiPropertyOptional({
    type: [String],
    maxItems: API_KEY_MAX_SOURCES,
    example: ['mirror-eu'],
    description:
      'The sources a `stats:ingest` key writes readings for, required for such a key: mirror names, `events` for ' +
      '/v1/events, `huggingface` or `github` only for a key that stands in for the sync. Refused for other keys',
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(API_KEY_MAX_SOURCES, { message: `sources holds at most ${API_KEY_MAX_SOURCES} names` })
  @IsString({ each: true, message: 'sources must each be a source name like mirror-eu' })
  sources?: string[];
}
