import { ApiProperty } from '@nestjs/swagger';

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
}
