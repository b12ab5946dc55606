export * from './columns';
export * from './keyset-page';
export * from './row-fold';
