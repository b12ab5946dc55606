import { Module } from '@nestjs/common';
import { ContractServicesHttpController } from './contract-services/contract-services.http.controller';
import { ContractUsersHttpController } from './contract-users/contract-users.http.controller';
import { MeContractsHttpController } from './me-contracts/me-contracts.http.controller';
import { QueryReader } from './query-reader';

/** The query endpoints: read models only, never aggregates (but for who may read, decided on the contract). */
@Module({
  controllers: [MeContractsHttpController, ContractUsersHttpController, ContractServicesHttpController],
  providers: [QueryReader],
})
export class QueriesModule {}
