/** The event stream of one ticket: `ticket-<id>`, so `ticket` is a category stream in EventStoreDB. */
export const ticketStream = (ticketId: string): string => `ticket-${ticketId}`;
