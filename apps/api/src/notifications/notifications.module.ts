import { Module } from '@nestjs/common';
import { NotificationsHttpController } from './notifications.http.controller';

/** Staff's view of the notification outbox. */
@Module({ controllers: [NotificationsHttpController] })
export class NotificationsModule {}
