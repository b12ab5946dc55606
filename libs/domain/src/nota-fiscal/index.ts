export * from './nota-fiscal-series-stream';
export * from './nota-fiscal-series.commands';
export * from './nota-fiscal-series.decider';
export * from './nota-fiscal-series.events';
export * from './nota-fiscal-series.state';
