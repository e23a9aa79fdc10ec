import { DomainError } from '../catalog';

export class ApiKeyNotFoundError extends DomainError {
  readonly kind = 'not-found';
  constructor(readonly keyId: string) {
    super(`API key ${keyId} was not found`);
  }
}

export class InvalidApiKeyInputError extends DomainError {
  readonly kind = 'invalid';
  constructor(
    override readonly field: string,
    message: string,
  ) {
    super(message);
  }
}
