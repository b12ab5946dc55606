export * from './invoice-stream';
export * from './invoice.billing-clock';
export * from './invoice.commands';
export * from './invoice.decider';
export * from './invoice.events';
export * from './invoice.state';
