export * from './columns';
export * from './keyset-page';
