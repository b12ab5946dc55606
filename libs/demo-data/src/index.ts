export * from './demo-book.generator';
export * from './seeded-random';
export * from './demo-seed';
