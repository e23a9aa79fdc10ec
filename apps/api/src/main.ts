import 'reflect-metadata';
import { ApiModule } from './api.module';
import { serve } from './serve';

void serve(ApiModule);
