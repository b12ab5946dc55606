export * from './csv-format';
export * from './csv-response';
export * from './query-cursor';
