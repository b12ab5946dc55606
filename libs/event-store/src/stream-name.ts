/** The category of a stream: the part of its name before the first dash (`service` for `service-42`). */
export const streamCategory = (streamName: string): string => {
  const dash = streamName.indexOf('-');
  return dash === -1 ? streamName : streamName.slice(0, dash);
};
