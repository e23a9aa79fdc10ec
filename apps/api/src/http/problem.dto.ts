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

  @ApiProperty({ required: false, description: 'Quote it when reporting a server error' })
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
