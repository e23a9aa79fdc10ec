import { Controller, Get, Param } from '@nestjs/common';
import { ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import { Matches } from 'class-validator';
import { DirectoryService, LicenseListDto, OrganizationListDto, PaperDto } from '@modelpulse/core/catalog';
import { ApiCachedRead } from '../cache/api-cached-read';
import { ProblemDto } from '../http/problem.dto';
import { RateLimit } from '../http/rate-limit';

export class PaperParams {
  @ApiProperty({ example: '2501.12948' })
  @Matches(/^\d{4}\.\d{4,5}$/, { message: 'arxivId must be an arXiv id such as 2501.12948' })
  arxivId!: string;
}

@ApiTags('catalogue')
@Controller('v1')
export class DirectoryController {
  constructor(private readonly directory: DirectoryService) {}

  @Get('organizations')
  @RateLimit('read')
  @ApiOperation({ summary: 'Organizations, with how many models each has' })
  @ApiOkResponse({ type: OrganizationListDto })
  @ApiCachedRead()
  organizations(): Promise<OrganizationListDto> {
    return this.directory.organizations();
  }

  @Get('licenses')
  @RateLimit('read')
  @ApiOperation({ summary: 'Licences, with SPDX ids where they exist and how many models use each' })
  @ApiOkResponse({ type: LicenseListDto })
  @ApiCachedRead()
  licenses(): Promise<LicenseListDto> {
    return this.directory.licenses();
  }

  @Get('papers/:arxivId')
  @RateLimit('read')
  @ApiOperation({ summary: 'A paper and the models that cite it' })
  @ApiOkResponse({ type: PaperDto })
  @ApiCachedRead()
  @ApiNotFoundResponse({ type: ProblemDto })
  paper(@Param() params: PaperParams): Promise<PaperDto> {
    return this.directory.paper(params.arxivId);
  }
}
