import { ApiProperty } from '@nestjs/swagger';
import { SCOPES, type Scope } from '../scopes';

/** A key as lists show it: never its secret. */
export class ApiKeyDto {
  @ApiProperty({ format: 'uuid', example: '0f8e5f0c-3b7a-4d52-9a51-2f1e8f4f6f3a' })
  id!: string;

  @ApiProperty({ example: 'mirror uploader' })
  name!: string;

  @ApiProperty({ example: 'mp_3f9a1c0b', description: 'How the secret starts: tells keys apart, grants nothing' })
  prefix!: string;

  @ApiProperty({ enum: SCOPES, enumName: 'Scope', isArray: true, example: ['stats:ingest'] })
  scopes!: Scope[];

  @ApiProperty({
    type: [String],
    example: ['mirror-eu'],
    description:
      'The sources the key writes readings for (`events`: download events); empty for keys without `stats:ingest`',
  })
  sources!: string[];

  @ApiProperty()
  createdAt!: Date;

  @ApiProperty({ type: Date, nullable: true, description: 'Last authenticated request, to the minute' })
  lastUsedAt!: Date | null;

  @ApiProperty({ type: Date, nullable: true, description: 'Set when the key was revoked; it authenticates no more' })
  revokedAt!: Date | null;
}

/** A key just made, with its secret: the only answer that ever holds it. */
export class CreatedApiKeyDto extends ApiKeyDto {
  @ApiProperty({
    example: 'mp_3f9a1c0b_8Jq2vV1qK0m3mYl7c9mN1x1bDq0QyW5l3s2ZpVtT4aE',
    description: 'Send as `Authorization: Bearer <secret>`. Shown once: only a hash of it is stored',
  })
  secret!: string;
}

export class ApiKeyListDto {
  @ApiProperty({ type: [ApiKeyDto] })
  data!: ApiKeyDto[];
}
