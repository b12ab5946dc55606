/** The event stream of one call-back request: `callback-<id>`. */
export const callbackStream = (callbackId: string): string => `callback-${callbackId}`;
