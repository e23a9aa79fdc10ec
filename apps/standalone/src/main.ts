import 'reflect-metadata';
import { serve } from '../../api/src/serve';
import { StandaloneModule } from './standalone.module';

void serve(StandaloneModule);
