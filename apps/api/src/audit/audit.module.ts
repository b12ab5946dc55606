import { Module } from '@nestjs/common';
import { QueryReader } from '../queries/query-reader';
import { AuditReader } from './audit-reader';
import { ContractEventsHttpController } from './contract-events/contract-events.http.controller';
import { ContractStateHttpController } from './contract-state/contract-state.http.controller';
import { CorrelationEventsHttpController } from './correlation-events/correlation-events.http.controller';

/** The auditor's endpoints: a contract's history with per-field changes, its state at an instant, correlations. */
@Module({
  controllers: [ContractEventsHttpController, ContractStateHttpController, CorrelationEventsHttpController],
  providers: [QueryReader, AuditReader],
})
export class AuditModule {}
