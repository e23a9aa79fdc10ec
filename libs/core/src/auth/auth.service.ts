import { createHash, timingSafeEqual } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { AllConfig } from '@modelpulse/config';

export const SCOPES = ['catalog:write', 'stats:ingest', 'admin'] as const;
export type Scope = (typeof SCOPES)[number];

export interface Principal {
  /** `admin-token` for MODELPULSE_ADMIN_TOKEN. */
  keyId: string;
  scopes: readonly Scope[];
}

const digest = (secret: string) => createHash('sha256').update(secret).digest();

/** Who a bearer key belongs to. Only the admin token from the environment exists so far. */
@Injectable()
export class AuthService {
  private readonly adminDigest: Buffer | null;

  constructor(@Inject(ConfigService) config: ConfigService<AllConfig, true>) {
    const token = config.get('app.adminToken', { infer: true });
    this.adminDigest = token ? digest(token) : null;
  }

  /** The principal of `secret`, or null for an unknown key. */
  authenticate(secret: string): Principal | null {
    if (this.adminDigest && timingSafeEqual(digest(secret), this.adminDigest)) {
      return { keyId: 'admin-token', scopes: SCOPES };
    }
    return null;
  }
}
