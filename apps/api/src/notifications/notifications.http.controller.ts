import { Body, Controller, Get, HttpCode, HttpStatus, Inject, Param, Post, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { Kysely } from 'kysely';
import type { Clock } from '@app/command-handling';
import { CLOCK, DATABASE } from '@app/platform';
import {
  NOTIFICATION_STATUSES,
  notificationById,
  notificationsPage,
  requeueNotification,
  type NotificationRow,
  type NotificationsDatabase,
  type NotificationStatus,
} from '@app/projections';
import type { DatabaseConnection } from '@app/read-store';
import {
  ApiError,
  EmptyBodyPipe,
  ID_PATTERN,
  ParseIdPipe,
  RequestValidationError,
  RequireRoles,
} from '../http';
import { pageOf, pageRequestOf, type Page } from '../queries/page-request';
import { PAGE_QUERY } from '../queries/query-docs';

/** A message of the outbox as staff see it in the list: where it went and how its delivery stands. */
export type NotificationItem = Readonly<{
  id: string;
  kind: string;
  contractId: string;
  recipient: string;
  recipientReasons: readonly string[];
  subject: string;
  status: NotificationStatus;
  channel: string | null;
  attempts: number;
  lastError: string | null;
  nextAttemptAt: string | null;
  createdAt: string;
  sentAt: string | null;
}>;

const instant = (value: Date | null): string | null =>
  value === null ? null : new Date(value).toISOString();

const itemOf = (row: NotificationRow): NotificationItem => ({
  id: row.message_id,
  kind: row.kind,
  contractId: row.contract_id,
  recipient: row.recipient_email,
  recipientReasons: row.recipient_reasons,
  subject: row.subject,
  status: row.status,
  channel: row.channel,
  attempts: row.attempts,
  lastError: row.last_error,
  nextAttemptAt: instant(row.next_attempt_at),
  createdAt: new Date(row.created_at).toISOString(),
  sentAt: instant(row.sent_at),
});

const filterOf = (query: Readonly<Record<string, unknown>>) => {
  const problems: { field: string; message: string }[] = [];
  const { status, contractId } = query;
  if (status !== undefined && !(NOTIFICATION_STATUSES as readonly unknown[]).includes(status)) {
    problems.push({ field: 'status', message: `status must be one of ${NOTIFICATION_STATUSES.join(', ')}` });
  }
  if (contractId !== undefined && !(typeof contractId === 'string' && ID_PATTERN.test(contractId))) {
    problems.push({ field: 'contractId', message: 'contractId must be 1 to 64 letters, digits, "_" or "-"' });
  }
  if (problems.length > 0) throw new RequestValidationError(problems);
  return {
    ...(status === undefined ? {} : { status: status as NotificationStatus }),
    ...(contractId === undefined ? {} : { contractId: contractId as string }),
  };
};

/** The notification outbox for staff: what was sent, what waits for a retry, what was given up on. */
@ApiTags('notifications')
@RequireRoles('support')
@Controller('admin/notifications')
export class NotificationsHttpController {
  private readonly db: Kysely<NotificationsDatabase>;

  constructor(
    @Inject(DATABASE) database: DatabaseConnection,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {
    this.db = database.db as Kysely<NotificationsDatabase>;
  }

  @Get()
  @ApiOperation({
    summary: 'The notifications, newest first (support, admin): their recipients and delivery status.',
  })
  @ApiQuery({ name: 'status', required: false, enum: NOTIFICATION_STATUSES })
  @ApiQuery({ name: 'contractId', required: false, description: "Only this contract's notifications." })
  @ApiQuery(PAGE_QUERY.limit)
  @ApiQuery(PAGE_QUERY.cursor)
  @ApiOkResponse({
    description:
      '{ items: [{ id, kind, contractId, recipient, recipientReasons, subject, status, channel, attempts, ' +
      'lastError, nextAttemptAt, createdAt, sentAt }], nextCursor }',
  })
  async list(@Query() query: Record<string, unknown>): Promise<Page<NotificationItem>> {
    const filter = filterOf(query);
    const page = pageRequestOf(query);
    if (page.after !== undefined && !/^\d{1,15}$/.test(page.after)) {
      throw new RequestValidationError([
        { field: 'cursor', message: 'cursor must be one this API gave out' },
      ]);
    }
    const rows = await notificationsPage(this.db, filter, {
      limit: page.limit + 1,
      ...(page.after === undefined ? {} : { after: page.after }),
    });
    return pageOf(rows, page, (row) => String(row.seq), itemOf);
  }

  @Get(':id')
  @ApiOperation({ summary: 'One notification with its text (support, admin).' })
  @ApiOkResponse({ description: 'The list item with `body`, the text of the e-mail.' })
  async one(@Param('id', ParseIdPipe) id: string): Promise<NotificationItem & { body: string }> {
    const row = await notificationById(this.db, id);
    if (!row) throw new ApiError(HttpStatus.NOT_FOUND, 'NOT_FOUND', 'No such notification.');
    return { ...itemOf(row), body: row.body };
  }

  @Post(':id/retry')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({
    summary: 'Queue a failed notification again, its attempts reset (support, admin).',
  })
  @ApiOkResponse({ description: 'The notification, queued.' })
  async retry(
    @Param('id', ParseIdPipe) id: string,
    @Body(EmptyBodyPipe) _body: unknown,
  ): Promise<NotificationItem> {
    const requeued = await requeueNotification(this.db, id, this.clock.now());
    if (!requeued) {
      const row = await notificationById(this.db, id);
      if (!row) throw new ApiError(HttpStatus.NOT_FOUND, 'NOT_FOUND', 'No such notification.');
      throw new ApiError(
        HttpStatus.CONFLICT,
        'NOTIFICATION_NOT_FAILED',
        `Only a failed notification can be queued again; this one is ${row.status}.`,
      );
    }
    // The row as the requeue left it: read again, a sender could already have taken it.
    return itemOf(requeued);
  }
}
