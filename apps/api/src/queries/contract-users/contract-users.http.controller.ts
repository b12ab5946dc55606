import { Controller, Get, Headers, Param, Query } from '@nestjs/common';
import { ApiHeader, ApiOkResponse, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { Caller } from '@app/platform';
import { contactsOfContract, invitationsOfContract, usersOfContract } from '@app/projections';
import { CurrentUser, ParseIdPipe } from '../../http';
import { isoInstant } from '../instants';
import { pageOf, pageRequestOf, type Page } from '../page-request';
import { MIN_POSITION_HEADER, PAGE_QUERY } from '../query-docs';
import { QueryReader } from '../query-reader';

/** A contract's users (the owner among them), invitations and contacts. */
@ApiTags('queries')
@Controller('contracts/:id')
export class ContractUsersHttpController {
  constructor(private readonly reader: QueryReader) {}

  @Get('users')
  @ApiOperation({ summary: "The contract's users: every member may see them." })
  @ApiHeader(MIN_POSITION_HEADER)
  @ApiQuery(PAGE_QUERY.limit)
  @ApiQuery(PAGE_QUERY.cursor)
  @ApiOkResponse({ description: '{ items: [{ userId, email, permissions, isOwner }], nextCursor }' })
  async users(
    @CurrentUser() caller: Caller,
    @Param('id', ParseIdPipe) contractId: string,
    @Query() query: Record<string, unknown>,
    @Headers('x-min-position') minPosition?: string,
  ): Promise<Page<{ userId: string; email: string; permissions: readonly string[]; isOwner: boolean }>> {
    const page = pageRequestOf(query);
    await this.reader.authorize(caller, contractId, 'contractUsers');
    await this.reader.awaitPosition(minPosition, ['contract-users']);
    const rows = await usersOfContract(this.reader.db, contractId, {
      limit: page.limit + 1,
      ...(page.after === undefined ? {} : { afterUserId: page.after }),
    });
    return pageOf(
      rows,
      page,
      (row) => row.user_id,
      (row) => ({
        userId: row.user_id,
        email: row.email,
        permissions: row.permissions,
        isOwner: row.is_owner,
      }),
    );
  }

  @Get('invitations')
  @ApiOperation({ summary: "The contract's invitations, whatever became of them." })
  @ApiHeader(MIN_POSITION_HEADER)
  @ApiQuery(PAGE_QUERY.limit)
  @ApiQuery(PAGE_QUERY.cursor)
  @ApiOkResponse({
    description:
      '{ items: [{ invitationId, email, permissions, status, invitedAt, expiresAt }], nextCursor }',
  })
  async invitations(
    @CurrentUser() caller: Caller,
    @Param('id', ParseIdPipe) contractId: string,
    @Query() query: Record<string, unknown>,
    @Headers('x-min-position') minPosition?: string,
  ) {
    const page = pageRequestOf(query);
    await this.reader.authorize(caller, contractId, 'contractInvitations');
    await this.reader.awaitPosition(minPosition, ['contract-users']);
    const rows = await invitationsOfContract(this.reader.db, contractId, {
      limit: page.limit + 1,
      after: page.after,
    });
    return pageOf(
      rows,
      page,
      (row) => row.invitation_id,
      (row) => ({
        invitationId: row.invitation_id,
        email: row.email,
        permissions: row.permissions,
        status: row.status,
        invitedAt: isoInstant(row.invited_at),
        expiresAt: isoInstant(row.expires_at),
      }),
    );
  }

  @Get('contacts')
  @ApiOperation({ summary: "The contract's notification contacts (permission `contacts`)." })
  @ApiHeader(MIN_POSITION_HEADER)
  @ApiQuery(PAGE_QUERY.limit)
  @ApiQuery(PAGE_QUERY.cursor)
  @ApiOkResponse({ description: '{ items: [{ contactId, name, email, categories }], nextCursor }' })
  async contacts(
    @CurrentUser() caller: Caller,
    @Param('id', ParseIdPipe) contractId: string,
    @Query() query: Record<string, unknown>,
    @Headers('x-min-position') minPosition?: string,
  ) {
    const page = pageRequestOf(query);
    await this.reader.authorize(caller, contractId, 'contractContacts');
    await this.reader.awaitPosition(minPosition, ['contract-users']);
    const rows = await contactsOfContract(this.reader.db, contractId, {
      limit: page.limit + 1,
      after: page.after,
    });
    return pageOf(
      rows,
      page,
      (row) => row.contact_id,
      (row) => ({
        contactId: row.contact_id,
        name: row.name,
        email: row.email,
        categories: row.categories,
      }),
    );
  }
}
