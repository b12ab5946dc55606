export * from './instance-stream';
export * from './instance.events';
export * from './instance.commands';
export * from './instance.state';
export * from './instance.decider';
