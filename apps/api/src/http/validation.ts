import { ValidationPipe, type ArgumentMetadata, type ValidationError } from '@nestjs/common';
import { ValidationProblem, type FieldError } from './problems';

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** `baseModels[0].id` style paths for nested errors. */
export function flattenValidationErrors(errors: ValidationError[], parent = ''): FieldError[] {
  const flat: FieldError[] = [];
  for (const error of errors) {
    const field = /^\d+$/.test(error.property)
      ? `${parent}[${error.property}]`
      : parent
        ? `${parent}.${error.property}`
        : error.property;
    // One rule's message often covers several constraints (`limit=ten` fails IsInt, Min and Max alike).
    for (const message of new Set(Object.values(error.constraints ?? {}))) {
      const text = message.startsWith(`property ${error.property} should not exist`)
        ? `${field} is not a known field`
        : message.replace(new RegExp(`^${error.property}\\b`), field);
      // A rule over a list's items names the item it is about: `observations[3].likes must …`.
      const deeper = new RegExp(`^${escapeRegExp(field)}(\\[\\d+\\](\\.\\w+)?)+`).exec(text)?.[0];
      flat.push({ field: deeper ?? field, message: text });
    }
    if (error.children?.length) flat.push(...flattenValidationErrors(error.children, field));
  }
  return flat;
}

/** The path of the first string holding a NUL character, which no PostgreSQL text can store. */
function nulPath(value: unknown, path: string): string | null {
  if (typeof value === 'string') return value.includes('\u0000') ? path : null;
  if (Array.isArray(value)) {
    for (const [index, item] of value.entries()) {
      const found = nulPath(item, `${path}[${index}]`);
      if (found !== null) return found;
    }
  } else if (value !== null && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) {
      const found = nulPath(item, path ? `${path}.${key}` : key);
      if (found !== null) return found;
    }
  }
  return null;
}

/**
 * The one validation pipe: unknown fields are refused, values converted to
 * their types; a body must be a JSON object, and no text may hold NUL.
 */
export class ApiValidationPipe extends ValidationPipe {
  constructor() {
    super({
      whitelist: true,
      forbidNonWhitelisted: true,
      transform: true,
      validationError: { target: false, value: false },
      exceptionFactory: (errors) => new ValidationProblem(flattenValidationErrors(errors)),
    });
  }

  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    if (
      metadata.type === 'body' &&
      metadata.metatype &&
      (value === null || typeof value !== 'object' || Array.isArray(value))
    ) {
      throw new ValidationProblem([{ field: 'body', message: 'body must be a JSON object' }]);
    }
    const field = nulPath(value, '');
    if (field !== null) {
      throw new ValidationProblem([
        { field: field || metadata.type, message: `${field || metadata.type} must not contain NUL characters` },
      ]);
    }
    return super.transform(value, metadata);
  }
}
