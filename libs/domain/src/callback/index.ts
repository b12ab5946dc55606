export * from './callback-stream';
export * from './callback-text';
export * from './callback.events';
export * from './callback.commands';
export * from './callback.state';
export * from './callback.decider';
