import { ApiProperty } from '@nestjs/swagger';
import { LicenseDto } from './model.dto';

export class OrganizationDto {
  @ApiProperty({ example: 'deepseek-ai', description: 'The hub slug' })
  id!: string;

  @ApiProperty({ example: 'DeepSeek' })
  name!: string;

  @ApiProperty({ type: String, nullable: true })
  url!: string | null;

  @ApiProperty({ description: 'Models of this organization in the catalogue' })
  models!: number;
}

export class OrganizationListDto {
  @ApiProperty({ type: [OrganizationDto] })
  data!: OrganizationDto[];
}

export class LicenseSummaryDto extends LicenseDto {
  @ApiProperty({ description: 'Models under this licence in the catalogue' })
  models!: number;
}

export class LicenseListDto {
  @ApiProperty({ type: [LicenseSummaryDto] })
  data!: LicenseSummaryDto[];
}

export class ModelRefDto {
  @ApiProperty({ example: 'deepseek-ai/DeepSeek-R1' })
  id!: string;

  @ApiProperty({ example: 'deepseek-ai' })
  organization!: string;

  @ApiProperty({ example: 'DeepSeek-R1' })
  name!: string;
}

export class PaperDto {
  @ApiProperty({ example: '2501.12948' })
  arxivId!: string;

  @ApiProperty({ type: String, nullable: true })
  title!: string | null;

  @ApiProperty({ example: 'https://arxiv.org/abs/2501.12948' })
  url!: string;

  @ApiProperty({ type: [ModelRefDto], description: 'Models in the catalogue that cite the paper' })
  models!: ModelRefDto[];
}
