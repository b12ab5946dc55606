export * from './contact-category';
export * from './contract-stream';
export * from './contract.commands';
export * from './contract.decider';
export * from './contract.events';
export * from './contract.queries';
export * from './contract.state';
