import { Inject, Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { AllConfig } from '@modelpulse/config';
import { digestSecret, lastUseIsStale, prefixOf, sameDigest } from './api-key-secret';
import { ApiKeyRepository } from './api-key.repository';
import { SCOPES, type Scope } from './scopes';

export interface Principal {
  /** The API key's id, or `admin-token` for MODELPULSE_ADMIN_TOKEN. */
  keyId: string;
  scopes: readonly Scope[];
  /** The sources the key writes readings for; `all` for the admin token, the operator's own key. */
  sources: readonly string[] | 'all';
}

export const ADMIN_TOKEN_KEY_ID = 'admin-token';

/** Who a bearer key belongs to: the admin token from the environment, or a live key in the table. */
@Injectable()
export class AuthService {
  private readonly adminDigest: Buffer | null;

  constructor(
    @Inject(ConfigService) config: ConfigService<AllConfig, true>,
    private readonly keys: ApiKeyRepository,
  ) {
    const token = config.get('app.adminToken', { infer: true });
    this.adminDigest = token ? digestSecret(token) : null;
  }

  /** The principal of `secret`, or null for an unknown or revoked key. */
  async authenticate(secret: string, now = new Date()): Promise<Principal | null> {
    const digest = digestSecret(secret);
    if (this.adminDigest && sameDigest(digest, this.adminDigest)) {
      return { keyId: ADMIN_TOKEN_KEY_ID, scopes: SCOPES, sources: 'all' };
    }
    const prefix = prefixOf(secret);
    if (prefix === null) return null;
    const key = await this.keys.findLiveByPrefix(prefix);
    if (!key || !sameDigest(digest, key.secretHash)) return null;
    if (lastUseIsStale(key.lastUsedAt, now)) await this.keys.touchLastUsed(key.id);
    return { keyId: key.id, scopes: key.scopes, sources: key.sources };
  }
}
