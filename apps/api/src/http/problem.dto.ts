import { applyDecorators } from '@nestjs/common';
import { ApiMovedPermanentlyResponse, ApiProperty } from '@nestjs/swagger';

export class FieldErrorDto {
  @ApiProperty({ example: 'limit' })
  field!: string;

  @ApiProperty({ example: 'limit must not be greater than 100' })
  message!: string;
}

/** RFC 9457 problem details, the body of every error (`application/problem+json`). */
export class ProblemDto {
  @ApiProperty({ example: 'https://modelpulse.dev/problems/invalid-request' })
  type!: string;

  @ApiProperty({ example: 'Invalid request' })
  title!: string;

  @ApiProperty({ example: 400 })
  status!: number;

  @ApiProperty({ example: 'limit must not be greater than 100' })
  detail!: string;

  @ApiProperty({ type: [FieldErrorDto], required: false })
  errors?: FieldErrorDto[];

  @ApiProperty({
    required: false,
    example: '5f0c1a8e-3b7d-4c2a-9e61-0d8f2b4a7c13',
    description:
      'The id of the request, also in the `X-Request-Id` header and on every log line of the request; ' +
      'quote it when reporting a problem. In every answer under /v1; absent only from the cacheable 4xx answers ' +
      'of badges, widgets and oEmbed, which caches hand to many requests',
  })
  requestId?: string;

  @ApiProperty({
    required: false,
    example: 'acme-labs/Launch-v2',
    description: 'The id asked for is an old id of this model: on a 301 (reads) and on a 404 (writes)',
  })
  movedTo?: string;
}

/** The 301 of a route under a model id, for an old id an upstream rename left behind. */
export function ApiModelMovedResponse(): MethodDecorator & ClassDecorator {
  return applyDecorators(
    ApiMovedPermanentlyResponse({
      type: ProblemDto,
      description:
        'The id is an old id of a model an upstream renamed (any letter case): the same path under the new id, ' +
        'query string kept, with the new id in `movedTo`. Cacheable for a day.',
      headers: {
        Location: {
          description: 'Relative: `/v1/models/{new org}/{new name}/…?{the same query}`',
          schema: { type: 'string' },
        },
      },
    }),
  );
}
