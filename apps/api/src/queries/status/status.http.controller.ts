import { createHash } from 'node:crypto';
import { Controller, Get, Headers, Query, Res } from '@nestjs/common';
import { ApiHeader, ApiOkResponse, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import type { IncidentImpact, IncidentUpdate, InstanceHealth } from '@app/domain';
import {
  instanceStatuses,
  resolvedIncidents,
  type InstanceStatusRow,
  type ResolvedIncidentRow,
  type StatusPageIncident,
} from '@app/projections';
import { Public } from '../../http';
import { isoInstant } from '../instants';
import { pageOf, pageRequestOf, type Page } from '../page-request';
import { MIN_POSITION_HEADER, PAGE_QUERY } from '../query-docs';
import { QueryReader } from '../query-reader';

/** An instance as the public status page shows it. */
export type InstanceStatusView = Readonly<{
  instanceId: string;
  name: string;
  kind: string;
  datacenter: string;
  status: InstanceHealth;
  /** Oldest first. */
  openIncidents: readonly StatusPageIncident[];
}>;

/** A resolved incident on the status page's history. */
export type ResolvedIncidentView = Readonly<{
  incidentId: string;
  instanceId: string;
  instanceName: string;
  title: string;
  impact: IncidentImpact;
  worstImpact: IncidentImpact;
  openedAt: string;
  resolvedAt: string;
  updates: readonly IncidentUpdate[];
}>;

const instanceViewOf = (row: InstanceStatusRow): InstanceStatusView => ({
  instanceId: row.instance_id,
  name: row.name,
  kind: row.kind,
  datacenter: row.datacenter,
  status: row.status,
  openIncidents: row.open_incidents,
});

const resolvedViewOf = (row: ResolvedIncidentRow): ResolvedIncidentView => ({
  incidentId: row.incident_id,
  instanceId: row.instance_id,
  instanceName: row.instance_name,
  title: row.title,
  impact: row.impact,
  worstImpact: row.worst_impact,
  openedAt: isoInstant(row.opened_at),
  resolvedAt: isoInstant(row.resolved_at),
  updates: row.updates,
});

/**
 * Short enough that an incident shows within seconds, long enough that a crowd refreshing the page during an
 * outage is served by caches in between.
 */
export const STATUS_MAX_AGE_SECONDS = 5;

/** A strong validator of exactly the bytes answered: equal pages, equal tags. */
const strongEtagOf = (body: unknown): string =>
  `"${createHash('sha256').update(JSON.stringify(body)).digest('base64url')}"`;

/**
 * The public status page: every instance with its status and open incidents, then the history of resolved ones.
 * No token needed; cacheable by anyone.
 */
@Public()
@ApiTags('status')
@Controller('status')
export class StatusHttpController {
  constructor(private readonly reader: QueryReader) {}

  @Get()
  @ApiOperation({
    summary:
      'Every instance with its status and open incidents (public). Answers a strong ETag; with a matching ' +
      'If-None-Match, 304 and no body.',
  })
  @ApiHeader(MIN_POSITION_HEADER)
  @ApiHeader({ name: 'If-None-Match', required: false, description: 'The ETag of a page already held.' })
  @ApiQuery(PAGE_QUERY.limit)
  @ApiQuery(PAGE_QUERY.cursor)
  @ApiOkResponse({
    description:
      '{ items: [{ instanceId, name, kind, datacenter, status, openIncidents: [{ incidentId, title, impact, ' +
      'worstImpact, openedAt, updates }] }], nextCursor }; headers ETag and Cache-Control. 304 when If-None-Match matches.',
  })
  async instances(
    @Query() query: Record<string, unknown>,
    @Res({ passthrough: true }) response: Response,
    @Headers('x-min-position') minPosition?: string,
  ): Promise<Page<InstanceStatusView>> {
    const page = pageRequestOf(query);
    await this.reader.awaitPosition(minPosition, ['instance-status']);
    const rows = await instanceStatuses(this.reader.db, { limit: page.limit + 1, after: page.after });
    const body = pageOf(rows, page, (row) => row.instance_id, instanceViewOf);
    // Express answers 304 with no body itself when the request's If-None-Match matches this ETag.
    response.setHeader('ETag', strongEtagOf(body));
    response.setHeader('Cache-Control', `public, max-age=${STATUS_MAX_AGE_SECONDS}`);
    return body;
  }

  @Get('history')
  @ApiOperation({ summary: 'Resolved incidents, most recently resolved first (public).' })
  @ApiHeader(MIN_POSITION_HEADER)
  @ApiQuery(PAGE_QUERY.limit)
  @ApiQuery(PAGE_QUERY.cursor)
  @ApiOkResponse({
    description:
      '{ items: [{ incidentId, instanceId, instanceName, title, impact, worstImpact, openedAt, resolvedAt, updates }], nextCursor }',
  })
  async history(
    @Query() query: Record<string, unknown>,
    @Res({ passthrough: true }) response: Response,
    @Headers('x-min-position') minPosition?: string,
  ): Promise<Page<ResolvedIncidentView>> {
    const page = pageRequestOf(query);
    await this.reader.awaitPosition(minPosition, ['instance-status']);
    const rows = await resolvedIncidents(this.reader.db, { limit: page.limit + 1, after: page.after });
    response.setHeader('Cache-Control', `public, max-age=${STATUS_MAX_AGE_SECONDS}`);
    return pageOf(rows, page, (row) => row.resolved_position, resolvedViewOf);
  }
}
