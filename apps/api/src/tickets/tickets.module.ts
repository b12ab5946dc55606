import { Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { CommandSender } from '../commands/command-sender';
import { ChangeTicketStatusHandler } from './change-ticket-status/change-ticket-status.handler';
import { ChangeTicketStatusHttpController } from './change-ticket-status/change-ticket-status.http.controller';
import { CloseTicketHandler } from './close-ticket/close-ticket.handler';
import { CloseTicketHttpController } from './close-ticket/close-ticket.http.controller';
import { OpenTicketHandler } from './open-ticket/open-ticket.handler';
import { OpenTicketHttpController } from './open-ticket/open-ticket.http.controller';
import { ReplyToTicketHandler } from './reply-to-ticket/reply-to-ticket.handler';
import { ReplyToTicketHttpController } from './reply-to-ticket/reply-to-ticket.http.controller';

/** The tickets commands: opening a ticket, its messages, its status and its closure. */
@Module({
  imports: [CqrsModule],
  controllers: [
    OpenTicketHttpController,
    ReplyToTicketHttpController,
    ChangeTicketStatusHttpController,
    CloseTicketHttpController,
  ],
  providers: [
    CommandSender,
    OpenTicketHandler,
    ReplyToTicketHandler,
    ChangeTicketStatusHandler,
    CloseTicketHandler,
  ],
})
export class TicketsModule {}
