export * from './columns';
export * from './keyset-page';
export * from './row-fold';
export * from './versioned-tables.migration';
