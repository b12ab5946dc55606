export * from './ticket-stream';
export * from './ticket.events';
export * from './ticket.commands';
export * from './ticket.state';
export * from './ticket.decider';
