export * from './billing.reactors';
export * from './reactor';
export * from './reactor-runner';
