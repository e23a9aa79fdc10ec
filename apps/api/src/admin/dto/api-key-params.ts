import { ApiProperty } from '@nestjs/swagger';
import { IsUUID } from 'class-validator';

export class ApiKeyParams {
  @ApiProperty({ format: 'uuid', description: 'The id the key was created with' })
  @IsUUID('all', { message: 'id must be an API key id (a UUID)' })
  id!: string;
}
