import { Body, Controller, Delete, Get, Header, HttpCode, Param, Post } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { ApiKeyListDto, ApiKeysService, CreatedApiKeyDto, type Principal } from '@modelpulse/core/auth';
import { CurrentPrincipal } from '../auth/current-principal.decorator';
import { RequireScope } from '../auth/scopes.decorator';
import { ProblemDto } from '../http/problem.dto';
import { ApiKeyParams } from './dto/api-key-params';
import { CreateApiKeyDto } from './dto/create-api-key.dto';
import { RateLimit } from '../http/rate-limit';

@ApiTags('admin')
@ApiBadRequestResponse({ type: ProblemDto, description: 'A bad parameter or field, named in `errors`' })
@Controller('v1/admin/api-keys')
export class ApiKeysController {
  constructor(private readonly keys: ApiKeysService) {}

  @Post()
  @RequireScope('admin')
  // The one answer that holds a secret: no browser, proxy or CDN may keep it.
  @Header('Cache-Control', 'no-store')
  @ApiOperation({
    summary: 'Make an API key',
    description: 'The answer holds the secret, the only time it is shown: only a hash of it is stored.',
  })
  @ApiCreatedResponse({ type: CreatedApiKeyDto, description: 'The key with its secret, shown this once' })
  create(@Body() body: CreateApiKeyDto, @CurrentPrincipal() principal: Principal): Promise<CreatedApiKeyDto> {
    return this.keys.create(body, principal);
  }

  @Get()
  @RequireScope('admin')
  @RateLimit('read')
  @ApiOperation({ summary: 'List API keys', description: 'Revoked keys too, oldest first; never a secret.' })
  @ApiOkResponse({ type: ApiKeyListDto })
  list(): Promise<ApiKeyListDto> {
    return this.keys.list();
  }

  @Delete(':id')
  @RequireScope('admin')
  @HttpCode(204)
  @ApiOperation({
    summary: 'Revoke an API key',
    description: 'From now on the key answers 401; it stays in the list with `revokedAt`. Revoking again is a no-op.',
  })
  @ApiNoContentResponse({ description: 'Revoked' })
  @ApiNotFoundResponse({ type: ProblemDto, description: 'No key has this id' })
  revoke(@Param() params: ApiKeyParams, @CurrentPrincipal() principal: Principal): Promise<void> {
    return this.keys.revoke(params.id, principal);
  }
}
