import { Module } from '@nestjs/common';
import { ContractAlertsHttpController } from './contract-alerts/contract-alerts.http.controller';
import { ContractCallbacksHttpController } from './contract-callbacks/contract-callbacks.http.controller';
import { ContractInvoicesHttpController } from './contract-invoices/contract-invoices.http.controller';
import { ContractServicesHttpController } from './contract-services/contract-services.http.controller';
import { ContractSummaryHttpController } from './contract-summary/contract-summary.http.controller';
import { ContractTicketsHttpController } from './contract-tickets/contract-tickets.http.controller';
import { ContractUsersHttpController } from './contract-users/contract-users.http.controller';
import { MeContractsHttpController } from './me-contracts/me-contracts.http.controller';
import { StatusHttpController } from './status/status.http.controller';
import { QueryReader } from './query-reader';

/** The query endpoints: read models only, never aggregates (but for who may read, decided on the contract). */
@Module({
  controllers: [
    MeContractsHttpController,
    ContractUsersHttpController,
    ContractServicesHttpController,
    ContractSummaryHttpController,
    ContractInvoicesHttpController,
    ContractTicketsHttpController,
    ContractCallbacksHttpController,
    ContractAlertsHttpController,
    StatusHttpController,
  ],
  providers: [QueryReader],
})
export class QueriesModule {}
