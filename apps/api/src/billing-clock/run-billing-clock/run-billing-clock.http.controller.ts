import { Body, Controller, HttpCode, HttpStatus, Inject, Post } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { BillingAgendaBehindError, BillingClock } from '@app/billing-clock';
import type { Clock } from '@app/command-handling';
import { CLOCK } from '@app/platform';
import { RequireRoles } from '../../http/auth/require-roles.decorator';
import { ApiError } from '../../http/errors/api-error';
import { RunBillingClockRequest } from './run-billing-clock.request.dto';
import { BillingClockRunResponse } from './run-billing-clock.response.dto';

@ApiTags('admin')
@Controller('admin/billing-clock/runs')
export class RunBillingClockHttpController {
  constructor(
    private readonly billingClock: BillingClock,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @Post()
  @HttpCode(HttpStatus.OK)
  @RequireRoles('admin')
  @ApiOperation({
    summary: 'Run the billing clock as of `at` (default now) and answer what each rule did (admin).',
    description:
      'Idempotent for a given instant: every command has an id of its rule and subject, so a second run of the ' +
      'same day changes nothing, and a run that died half-way is completed. Answers 503 when the read models ' +
      'the clock reads its candidates from have not caught up with the log.',
  })
  @ApiOkResponse({ type: BillingClockRunResponse })
  async run(@Body() body: RunBillingClockRequest): Promise<BillingClockRunResponse> {
    try {
      return await this.billingClock.run(body.at ?? this.clock.now());
    } catch (error) {
      if (error instanceof BillingAgendaBehindError) {
        throw new ApiError(HttpStatus.SERVICE_UNAVAILABLE, 'STALE_READ_MODEL', error.message, undefined, {
          'Retry-After': '5',
        });
      }
      throw error;
    }
  }
}
