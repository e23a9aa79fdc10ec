import { ApiProperty } from '@nestjs/swagger';

/** An oEmbed 1.0 `rich` response (https://oembed.com, section 2.3.4); snake_case, as the spec names its fields. */
export class OembedDto {
  @ApiProperty({ enum: ['rich'] })
  type!: 'rich';

  @ApiProperty({ enum: ['1.0'] })
  version!: '1.0';

  @ApiProperty({ example: 'deepseek-ai/DeepSeek-R1 on modelpulse' })
  title!: string;

  @ApiProperty({ example: 'modelpulse' })
  provider_name!: string;

  @ApiProperty({ example: 'https://modelpulse.example.org/' })
  provider_url!: string;

  @ApiProperty({ example: 300, description: 'Seconds a consumer may keep this answer' })
  cache_age!: number;

  @ApiProperty({ description: 'An <iframe> of the widget, sized within maxwidth × maxheight' })
  html!: string;

  @ApiProperty({ example: 400 })
  width!: number;

  @ApiProperty({ example: 380 })
  height!: number;
}
