import { ApiProperty } from '@nestjs/swagger';
import { RELATIONS, type Relation } from '../entities/model-relation.entity';

export class LineageNodeDto {
  @ApiProperty({ example: 'deepseek-ai/DeepSeek-V3-Base' })
  id!: string;

  @ApiProperty({ enum: RELATIONS, enumName: 'Relation', description: 'How the derived side of the link was made' })
  relation!: Relation;

  @ApiProperty({ description: 'Links between this model and the one asked about (1: direct)' })
  depth!: number;

  @ApiProperty({ description: 'The model on the other side of this link, nearer the one asked about' })
  via!: string;
}

export class LineageDownloadsDto {
  @ApiProperty({
    type: Number,
    nullable: true,
    description: 'The model\u2019s own `stats.downloads30d`: the 30 complete UTC days ending yesterday',
  })
  model!: number | null;

  @ApiProperty({
    type: Number,
    nullable: true,
    description: 'The `stats.downloads30d` of every family member that has one, summed; null when none has',
  })
  family!: number | null;

  @ApiProperty({
    example: false,
    description:
      'True when any of these figures is demo data (`npm run cli -- demo`), the model\u2019s or a member\u2019s',
  })
  demo!: boolean;
}

export class LineageDto {
  @ApiProperty({ example: 'deepseek-ai/DeepSeek-R1' })
  model!: string;

  @ApiProperty({ type: [LineageNodeDto], description: 'Models this one was made from, nearest first' })
  ancestors!: LineageNodeDto[];

  @ApiProperty({ type: [LineageNodeDto], description: 'Models made from this one, nearest first' })
  descendants!: LineageNodeDto[];

  @ApiProperty({
    type: [String],
    description:
      'The family: models joined to this one by weight derivation (finetune, quantized, adapter, merge), itself included; a distillation does not join a family',
  })
  family!: string[];

  @ApiProperty({ type: LineageDownloadsDto })
  downloads30d!: LineageDownloadsDto;
}
