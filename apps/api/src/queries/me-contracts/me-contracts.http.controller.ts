import { Controller, Get, Headers, Query } from '@nestjs/common';
import { ApiHeader, ApiOkResponse, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { contractsOfUser } from '@app/projections';
import { CurrentUser } from '../../http';
import type { Caller } from '@app/platform';
import { pageOf, pageRequestOf, type Page } from '../page-request';
import { QueryReader } from '../query-reader';
import { MIN_POSITION_HEADER, PAGE_QUERY } from '../query-docs';

type MyContract = {
  contractId: string;
  holderName: string;
  isOwner: boolean;
  permissions: readonly string[];
};

@ApiTags('queries')
@Controller('me/contracts')
export class MeContractsHttpController {
  constructor(private readonly reader: QueryReader) {}

  @Get()
  @ApiOperation({ summary: "The caller's contracts, with their permissions on each." })
  @ApiHeader(MIN_POSITION_HEADER)
  @ApiQuery(PAGE_QUERY.limit)
  @ApiQuery(PAGE_QUERY.cursor)
  @ApiOkResponse({ description: '{ items: [{ contractId, holderName, isOwner, permissions }], nextCursor }' })
  async list(
    @CurrentUser() caller: Caller,
    @Query() query: Record<string, unknown>,
    @Headers('x-min-position') minPosition?: string,
  ): Promise<Page<MyContract>> {
    const page = pageRequestOf(query);
    await this.reader.awaitPosition(minPosition, ['contract-users']);
    const rows = await contractsOfUser(this.reader.db, caller.userId, {
      limit: page.limit + 1,
      ...(page.after === undefined ? {} : { afterContractId: page.after }),
    });
    return pageOf(
      rows,
      page,
      (row) => row.contract_id,
      (row) => ({
        contractId: row.contract_id,
        holderName: row.holder_name,
        isOwner: row.is_owner,
        permissions: row.permissions,
      }),
    );
  }
}
