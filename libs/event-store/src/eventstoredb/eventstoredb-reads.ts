import {
  BACKWARDS,
  END,
  EVENT_TYPE,
  START,
  type AllStreamResolvedEvent,
  type Direction,
  type EventStoreDBClient,
  type Filter,
  type ReadPosition,
  type StreamingRead,
} from '@eventstore/db-client';
import { ReadStream } from '@eventstore/db-client/dist/streams/utils/ReadStream';
import { convertGrpcEvent } from '@eventstore/db-client/dist/utils/convertGrpcEvent';
import { Empty } from '@eventstore/db-client/generated/shared_pb';
import { StreamsClient } from '@eventstore/db-client/generated/streams_grpc_pb';
import { ReadReq } from '@eventstore/db-client/generated/streams_pb';

/**
 * Everything a client read returns. A read that fails or is left early gets its gRPC call cancelled:
 * ending the iteration only destroys the client's ReadStream (a Transform), while the call piped into it
 * stays open on the server, paused, until the connection is closed.
 */
export const collect = async <T>(read: StreamingRead<T>): Promise<T[]> => {
  const items: T[] = [];
  let complete = false;
  try {
    for await (const item of read as AsyncIterable<T>) items.push(item);
    complete = true;
  } finally {
    // A call that never started (no connection) has nothing to cancel; its failure is the error thrown.
    if (!complete) await read.cancel().catch(() => undefined);
  }
  return items;
};

export type AllRead = Readonly<{
  fromPosition: ReadPosition;
  direction: Direction;
  /** With a filter, the server counts only the events it selects: it reads on until it has this many. */
  maxCount: number;
  filter: Filter;
}>;

/**
 * The request the client's readAll sends (dist/streams/readAll.js), but with the filter options its
 * subscribeToAll sends (dist/streams/subscribeToAll.js) where readAll, in 6.2.1, always sends NoFilter.
 */
export const allReadRequest = ({ fromPosition, direction, maxCount, filter }: AllRead): ReadReq => {
  const all = new ReadReq.Options.AllOptions();
  if (fromPosition === START) all.setStart(new Empty());
  else if (fromPosition === END) all.setEnd(new Empty());
  else {
    const position = new ReadReq.Options.Position();
    position.setCommitPosition(fromPosition.commit.toString(10));
    position.setPreparePosition(fromPosition.prepare.toString(10));
    all.setPosition(position);
  }
  const expression = new ReadReq.Options.FilterOptions.Expression();
  if ('regex' in filter) expression.setRegex(filter.regex);
  if ('prefixes' in filter) expression.setPrefixList(filter.prefixes);
  const filterOptions = new ReadReq.Options.FilterOptions();
  if (filter.filterOn === EVENT_TYPE) filterOptions.setEventType(expression);
  else filterOptions.setStreamIdentifier(expression);
  if (filter.maxSearchWindow === undefined) filterOptions.setCount(new Empty());
  else filterOptions.setMax(filter.maxSearchWindow);
  filterOptions.setCheckpointintervalmultiplier(filter.checkpointInterval);
  const uuidOption = new ReadReq.Options.UUIDOption();
  uuidOption.setString(new Empty());
  const options = new ReadReq.Options();
  options.setAll(all);
  options.setResolveLinks(false);
  options.setCount(maxCount.toString(10));
  options.setUuidOption(uuidOption);
  options.setFilter(filterOptions);
  options.setReadDirection(
    direction === BACKWARDS
      ? ReadReq.Options.ReadDirection.BACKWARDS
      : ReadReq.Options.ReadDirection.FORWARDS,
  );
  const request = new ReadReq();
  request.setOptions(options);
  return request;
};

/**
 * Reads $all with the filter applied by the server (its filtered read of $all), which @eventstore/db-client
 * 6.2.1 offers only to subscriptions. It goes through the client's own channel, credentials and error
 * handling: the protected GRPCStreamCreator and callArguments that readAll itself uses, typed by the client's
 * declarations (package.json pins its exact version), and its ReadStream and convertGrpcEvent.
 */
export const readAllFiltered = (
  client: EventStoreDBClient,
  read: AllRead,
): StreamingRead<AllStreamResolvedEvent> => {
  const request = allReadRequest(read);
  const createGrpcStream = client['GRPCStreamCreator'](StreamsClient, 'readAll', (grpc) =>
    grpc.read(request, ...client['callArguments']({}, { deadline: Infinity })),
  );
  return new ReadStream(createGrpcStream, convertGrpcEvent, {});
};
