import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, MaxLength, Min } from 'class-validator';

export class OembedQuery {
  @ApiProperty({
    description: 'A page of this site: `{PUBLIC_URL}/` (with its filters) or `{PUBLIC_URL}/models/{org}/{name}`',
    example: 'https://modelpulse.example.org/models/deepseek-ai/DeepSeek-R1',
  })
  @IsString({ message: 'url must be the address of a page of this site' })
  @MaxLength(2000, { message: 'url must be at most 2000 characters' })
  url!: string;

  @ApiPropertyOptional({ minimum: 1, description: 'Widest the embed may be, in pixels' })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'maxwidth must be a whole number of pixels, 1 or more' })
  @Min(1, { message: 'maxwidth must be a whole number of pixels, 1 or more' })
  maxwidth?: number;

  @ApiPropertyOptional({ minimum: 1, description: 'Tallest the embed may be, in pixels' })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'maxheight must be a whole number of pixels, 1 or more' })
  @Min(1, { message: 'maxheight must be a whole number of pixels, 1 or more' })
  maxheight?: number;

  @ApiPropertyOptional({ enum: ['json'], default: 'json', description: 'Any other format answers 501' })
  @IsOptional()
  @IsString()
  format?: string;
}
