import { randomUUID } from 'node:crypto';
import { Injectable, Logger } from '@nestjs/common';
import { digestSecret, newKeySecret } from './api-key-secret';
import type { ApiKeyEntity } from './api-key.entity';
import { ApiKeyRepository } from './api-key.repository';
import { ApiKeyNotFoundError, InvalidApiKeyInputError } from './auth.errors';
import type { Principal } from './auth.service';
import type { ApiKeyDto, ApiKeyListDto, CreatedApiKeyDto } from './dto/api-key.dto';
import { DEMO_SOURCE, isSourceName } from '../stats';
import { isScope, SCOPES, type Scope } from './scopes';

export const API_KEY_NAME_MAX_LENGTH = 100;
/** A mirror or two, a hub: a key for more sources than this is a mistake. */
export const API_KEY_MAX_SOURCES = 50;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** A clash of 32-bit prefixes is rare; three in a row means something else is wrong. */
const PREFIX_ATTEMPTS = 3;

export interface CreateApiKeyInput {
  name: string;
  scopes: string[];
  /** The sources a `stats:ingest` key writes readings for; required for such a key, refused for others. */
  sources?: string[];
}

export function toApiKeyDto(key: ApiKeyEntity): ApiKeyDto {
  return {
    id: key.id,
    name: key.name,
    prefix: key.prefix,
    scopes: key.scopes,
    sources: key.sources,
    createdAt: key.createdAt,
    lastUsedAt: key.lastUsedAt,
    revokedAt: key.revokedAt,
  };
}

/** The sources of a new key, sorted and without repeats: what it may write, and only for `stats:ingest`. */
function checkSources(sources: string[], scopes: Scope[]): string[] {
  const bad = sources.find((source) => !isSourceName(source) || source === 'link' || source === DEMO_SOURCE);
  if (bad !== undefined) {
    throw new InvalidApiKeyInputError(
      'sources',
      bad === 'link'
        ? 'sources must not hold link: tracked-link clicks are counted by /dl only'
        : bad === DEMO_SOURCE
          ? 'sources must not hold demo: demo figures are written by npm run cli -- demo only'
          : `sources must each be a source name like mirror-eu (lower-case letters, digits, dashes), not "${bad}"`,
    );
  }
  const unique = [...new Set(sources)].sort();
  if (unique.length > API_KEY_MAX_SOURCES) {
    throw new InvalidApiKeyInputError('sources', `sources holds at most ${API_KEY_MAX_SOURCES} names`);
  }
  if (scopes.includes('stats:ingest') && unique.length === 0) {
    throw new InvalidApiKeyInputError(
      'sources',
      'a stats:ingest key needs the sources it writes, like ["mirror-eu"], or ["events"] for /v1/events',
    );
  }
  if (!scopes.includes('stats:ingest') && unique.length > 0) {
    throw new InvalidApiKeyInputError('sources', 'sources are for stats:ingest keys only');
  }
  return unique;
}

/** Making, listing and revoking API keys (the HTTP admin routes and the CLI). */
@Injectable()
export class ApiKeysService {
  private readonly logger = new Logger('ApiKeys');

  constructor(private readonly keys: ApiKeyRepository) {}

  /** `by` is who asked (null: the command line), for the log. */
  async create(input: CreateApiKeyInput, by: Principal | null): Promise<CreatedApiKeyDto> {
    const name = input.name.trim();
    if (name === '' || name.length > API_KEY_NAME_MAX_LENGTH) {
      throw new InvalidApiKeyInputError('name', `name must be 1 to ${API_KEY_NAME_MAX_LENGTH} characters`);
    }
    const unknown = input.scopes.find((scope) => !isScope(scope));
    if (input.scopes.length === 0 || unknown !== undefined) {
      throw new InvalidApiKeyInputError('scopes', `scopes must be one or more of ${SCOPES.join(', ')}`);
    }
    // Canonical order and no repeats, whatever order they were asked in.
    const scopes: Scope[] = SCOPES.filter((scope) => input.scopes.includes(scope));
    const sources = checkSources(input.sources ?? [], scopes);

    for (let attempt = 0; attempt < PREFIX_ATTEMPTS; attempt++) {
      const { prefix, secret } = newKeySecret();
      const stored = await this.keys.insertUnlessPrefixTaken({
        id: randomUUID(),
        name,
        prefix,
        secretHash: digestSecret(secret),
        scopes,
        sources,
      });
      if (stored) {
        const writes = sources.length ? `; writes ${sources.join(' ')}` : '';
        this.logger.log(
          `key ${stored.id} (${prefix}, ${scopes.join(' ')}${writes}) created by ${by?.keyId ?? 'the CLI'}`,
        );
        return { ...toApiKeyDto(stored), secret };
      }
    }
    throw new Error(`no free API key prefix after ${PREFIX_ATTEMPTS} attempts`);
  }

  async list(): Promise<ApiKeyListDto> {
    return { data: (await this.keys.listAll()).map(toApiKeyDto) };
  }

  async revoke(id: string, by: Principal | null): Promise<void> {
    if (!UUID.test(id)) throw new InvalidApiKeyInputError('id', 'id must be an API key id (a UUID)');
    if (!(await this.keys.revoke(id))) throw new ApiKeyNotFoundError(id);
    this.logger.log(`key ${id} revoked by ${by?.keyId ?? 'the CLI'}`);
  }
}
