import { applyDecorators } from '@nestjs/common';
import { ApiHeader, ApiResponse } from '@nestjs/swagger';

/**
 * In the OpenAPI document: a JSON read with an ETag, answered 304 to an
 * If-None-Match that names it (response-cache.ts's onSend hook does it).
 */
export function ApiCachedRead() {
  return applyDecorators(
    ApiHeader({
      name: 'If-None-Match',
      required: false,
      description: 'The `ETag` of an answer kept; while it is still the answer, a 304 with no body',
    }),
    ApiResponse({
      status: 304,
      description:
        'Not modified: the answer is still the one `If-None-Match` names (`ETag`, `Cache-Control` as on the 200)',
    }),
  );
}
