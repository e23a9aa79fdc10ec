/**
 * Errors the catalogue raises; the API maps each kind to one HTTP status
 * (moved 301, not-found 404, conflict 409, invalid 400, forbidden 403), the worker and CLI print them.
 */
export abstract class DomainError extends Error {
  abstract readonly kind: 'moved' | 'not-found' | 'conflict' | 'invalid' | 'forbidden';
  /** The request field the error is about, when there is one. */
  readonly field?: string;
}

/**
 * A read of an old id: an upstream renamed the model and the old id is an
 * alias of the new one. The API answers 301 to the same path under `to`.
 */
export class ModelMovedError extends DomainError {
  readonly kind = 'moved';
  constructor(
    readonly from: string,
    readonly to: string,
  ) {
    super(`Model ${from} is now ${to}: it was renamed upstream, and the old id redirects`);
  }
}

export class ModelNotFoundError extends DomainError {
  readonly kind = 'not-found';
  /**
   * `movedTo`: the id is an old id of this model. Writes are not redirected,
   * so a client never changes a model it did not name.
   */
  constructor(
    readonly modelId: string,
    readonly movedTo: string | null = null,
  ) {
    super(
      movedTo === null
        ? `Model ${modelId} was not found`
        : `Model ${modelId} was renamed to ${movedTo}; send changes to ${movedTo}`,
    );
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

/** A purge of a model that was not deleted first, without being told to. */
export class ModelIsLiveError extends DomainError {
  readonly kind = 'conflict';
  constructor(readonly modelId: string) {
    super(
      `Model ${modelId} is live (not deleted): DELETE /v1/models/${modelId} archives it and keeps its history; ` +
        'purge --force removes a live model for good',
    );
  }
}

/** A new model may not take an old id: links to it already lead to the renamed model. */
export class ModelIdIsAliasError extends DomainError {
  readonly kind = 'conflict';
  override readonly field = 'id';
  constructor(
    readonly modelId: string,
    readonly aliasOf: string,
    archived: boolean,
  ) {
    super(
      archived
        ? `${modelId} is an old id of ${aliasOf}, which was deleted; purge ${aliasOf} with the CLI to free the id`
        : `${modelId} is an old id of ${aliasOf} (renamed upstream) and redirects there`,
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
