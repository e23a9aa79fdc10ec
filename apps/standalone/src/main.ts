import 'reflect-metadata';
import { serve } from '../../api/src/main';
import { StandaloneModule } from './standalone.module';

void serve(StandaloneModule);
