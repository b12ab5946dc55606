export * from './billing-clock';
export * from './billing-automation';
