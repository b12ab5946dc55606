/** The event stream of one service: `service-<id>`, so `service` is its category. */
export const serviceStream = (serviceId: string): string => `service-${serviceId}`;
