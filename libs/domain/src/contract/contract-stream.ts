/** The name of a contract's stream: `contract-<id>`, so EventStoreDB's `$ce-contract` category stream works. */
export const contractStream = (contractId: string): string => `contract-${contractId}`;
