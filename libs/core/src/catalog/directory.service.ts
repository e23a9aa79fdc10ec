import { Injectable } from '@nestjs/common';
import { PaperNotFoundError } from './catalog.errors';
import { DirectoryRepository } from './directory.repository';
import type { LicenseListDto, OrganizationListDto, PaperDto } from './dto/directory.dto';

@Injectable()
export class DirectoryService {
  constructor(private readonly directory: DirectoryRepository) {}

  async organizations(): Promise<OrganizationListDto> {
    return { data: await this.directory.organizationsWithCounts() };
  }

  async licenses(): Promise<LicenseListDto> {
    return { data: await this.directory.licensesWithCounts() };
  }

  async paper(arxivId: string): Promise<PaperDto> {
    const paper = await this.directory.findPaperWithModels(arxivId);
    if (!paper) throw new PaperNotFoundError(arxivId);
    return {
      arxivId: paper.arxivId,
      title: paper.title,
      url: `https://arxiv.org/abs/${paper.arxivId}`,
      models: paper.models.map((m) => ({ id: m.slug, organization: m.organizationId, name: m.name })),
    };
  }
}
