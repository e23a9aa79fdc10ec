import { Module } from '@nestjs/common';
import { ApiKeyRepository } from './api-key.repository';
import { ApiKeysService } from './api-keys.service';
import { AuthService } from './auth.service';

/** Who a bearer key is, and the API keys an admin makes and revokes. */
@Module({ providers: [ApiKeyRepository, AuthService, ApiKeysService], exports: [AuthService, ApiKeysService] })
export class AuthModule {}
