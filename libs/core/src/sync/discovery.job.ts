import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { AllConfig } from '@modelpulse/config';
import { Job, type RunSummary } from '../jobs';
import { ImportService } from './import.service';

@Injectable()
export class DiscoveryJob extends Job {
  readonly queue = 'discovery';
  readonly kind = 'discovery';
  readonly description = "Starts tracking the hub's top models by downloads and by trending (DISCOVERY_TOP_N of each)";

  constructor(
    private readonly imports: ImportService,
    private readonly config: ConfigService<AllConfig, true>,
  ) {
    super();
  }

  async run(): Promise<RunSummary> {
    const limit = this.config.get('jobs', { infer: true }).discoveryTopN;
    if (limit === 0) {
      return {
        status: 'succeeded',
        modelsDone: 0,
        modelsFailed: 0,
        modelsSkipped: 0,
        upstreamRequests: {},
        errors: [],
      };
    }
    const found = await this.imports.discover(limit);
    const errors = found.failed.map((f) => ({ model: f.model, source: 'huggingface', error: f.error }));
    return {
      status:
        errors.length === 0 ? 'succeeded' : found.created.length > 0 || found.alreadyTracked > 0 ? 'partial' : 'failed',
      modelsDone: found.created.length,
      modelsFailed: found.failed.length,
      modelsSkipped: found.alreadyTracked,
      upstreamRequests: { huggingface: found.upstreamRequests },
      errors,
    };
  }
}
