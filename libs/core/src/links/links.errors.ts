import { DomainError } from '../catalog';

/** The model exists, but no Hugging Face repository is known to send a download to. */
export class NoHubRepositoryError extends DomainError {
  readonly kind = 'not-found';
  constructor(slug: string, gone: boolean) {
    super(
      gone
        ? `Model ${slug} is no longer on Hugging Face, so it has no download link`
        : `Model ${slug} has no Hugging Face repository, so it has no download link`,
    );
  }
}
