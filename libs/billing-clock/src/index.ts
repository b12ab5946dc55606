export * from './billing-clock';
