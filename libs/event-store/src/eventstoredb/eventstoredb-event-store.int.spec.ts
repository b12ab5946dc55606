import { describeEventStoreContract } from '../contract/event-store.contract';
import { EventStoreDbEventStore } from './eventstoredb-event-store';

// jest.config.js only collects this file when EVENTSTORE_CONNECTION_STRING is set (and says so when it is not).
const connectionString = process.env.EVENTSTORE_CONNECTION_STRING ?? '';

describeEventStoreContract(`EventStoreDB at ${connectionString.replace(/\/\/[^@]*@/, '//')}`, async () => {
  const store = EventStoreDbEventStore.connect(connectionString);
  return {
    store,
    // EventStoreDB has no transaction spanning calls: the append happens when it "commits".
    beginAppend: async (stream, events, expected) => ({
      commit: () => store.append(stream, events, expected),
    }),
    close: () => store.close(),
  };
});
