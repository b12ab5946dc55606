/** The event stream of one server instance: `instance-<id>`. */
export const instanceStream = (instanceId: string): string => `instance-${instanceId}`;
