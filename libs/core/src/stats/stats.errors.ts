import { DomainError } from '../catalog';

/** A write of readings under a source the API key was not made for (the API answers 403). */
export class SourceNotGrantedError extends DomainError {
  readonly kind = 'forbidden';
  override readonly field = 'source';
  constructor(
    readonly source: string,
    granted: readonly string[],
  ) {
    super(
      `The API key may not write source "${source}"; it was made for ${granted.length ? granted.join(', ') : 'no source'}`,
    );
  }
}
