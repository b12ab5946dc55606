export * from './service-stream';
export * from './service.addons';
export * from './service.billing-clock';
export * from './service.commands';
export * from './service.decider';
export * from './service.events';
export * from './service.invoicing';
export * from './service.state';
