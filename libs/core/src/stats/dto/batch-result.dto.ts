import { ApiProperty } from '@nestjs/swagger';

export class RejectedItemDto {
  @ApiProperty({ description: 'Position of the item in the batch, from 0' })
  index!: number;

  @ApiProperty({ description: 'The field at fault, when there is one', example: 'observedAt' })
  field!: string;

  @ApiProperty({ example: 'observedAt is in the future' })
  error!: string;
}

export class BatchResultDto {
  @ApiProperty({ description: 'Items stored by this request (committed when the answer is sent)' })
  accepted!: number;

  @ApiProperty({ description: 'Items already stored before, or sent twice in this batch; counted once' })
  duplicates!: number;

  @ApiProperty({ type: [RejectedItemDto], description: 'Items refused, each alone; the others went in' })
  rejected!: RejectedItemDto[];
}
