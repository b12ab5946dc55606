// First: the heap settings must be in place before the modules below fill the heap.
import '@app/platform/steady-heap';
import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { Logger } from 'nestjs-pino';
import { readConfigOrExit } from '@app/platform';
import { WorkerAppModule } from './worker-app.module';

const bootstrap = async (): Promise<void> => {
  const config = readConfigOrExit();
  const app = await NestFactory.createApplicationContext(WorkerAppModule.forRoot(config), {
    bufferLogs: true,
  });
  app.useLogger(app.get(Logger));
  app.enableShutdownHooks();
};

void bootstrap();
