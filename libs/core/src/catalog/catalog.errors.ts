/**
 * Errors the catalogue raises; the API maps each kind to one HTTP status
 * (not-found 404, conflict 409, invalid 400), the worker and CLI print them.
 */
export abstract class DomainError extends Error {
  abstract readonly kind: 'not-found' | 'conflict' | 'invalid';
  /** The request field the error is about, when there is one. */
  readonly field?: string;
}

export class ModelNotFoundError extends DomainError {
  readonly kind = 'not-found';
  constructor(readonly modelId: string) {
    super(`Model ${modelId} was not found`);
  }
}

export class PaperNotFoundError extends DomainError {
  readonly kind = 'not-found';
  constructor(readonly arxivId: string) {
    super(`Paper ${arxivId} was not found`);
  }
}

export class ModelExistsError extends DomainError {
  readonly kind = 'conflict';
  override readonly field = 'id';
  constructor(
    readonly modelId: string,
    archived: boolean,
  ) {
    super(
      archived
        ? `Model ${modelId} exists but was deleted; purge it with the CLI before creating it again`
        : `Model ${modelId} already exists`,
    );
  }
}

export class InvalidReferenceError extends DomainError {
  readonly kind = 'invalid';
  constructor(
    override readonly field: string,
    message: string,
  ) {
    super(message);
  }
}

export class RepositoryTakenError extends DomainError {
  readonly kind = 'conflict';
  override readonly field = 'links.huggingface';
  constructor(repository: string, modelId: string) {
    super(`${repository} is already bound to ${modelId}`);
  }
}
