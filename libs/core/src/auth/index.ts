export * from './api-key-secret';
export * from './api-key.entity';
export * from './api-keys.service';
export * from './auth.errors';
export * from './auth.module';
export * from './auth.service';
export * from './dto/api-key.dto';
export * from './scopes';
