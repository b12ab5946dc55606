import { Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { CommandSender } from '../commands/command-sender';
import { OpenIncidentHandler } from './open-incident/open-incident.handler';
import { OpenIncidentHttpController } from './open-incident/open-incident.http.controller';
import { PostIncidentUpdateHandler } from './post-incident-update/post-incident-update.handler';
import { PostIncidentUpdateHttpController } from './post-incident-update/post-incident-update.http.controller';
import { RegisterInstanceHandler } from './register-instance/register-instance.handler';
import { RegisterInstanceHttpController } from './register-instance/register-instance.http.controller';
import { ResolveIncidentHandler } from './resolve-incident/resolve-incident.handler';
import { ResolveIncidentHttpController } from './resolve-incident/resolve-incident.http.controller';

/** The status page's commands: servers and their incidents, for admins. */
@Module({
  imports: [CqrsModule],
  controllers: [
    RegisterInstanceHttpController,
    OpenIncidentHttpController,
    PostIncidentUpdateHttpController,
    ResolveIncidentHttpController,
  ],
  providers: [
    CommandSender,
    RegisterInstanceHandler,
    OpenIncidentHandler,
    PostIncidentUpdateHandler,
    ResolveIncidentHandler,
  ],
})
export class InstancesModule {}
