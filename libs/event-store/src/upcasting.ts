import type { EventMetadata } from './event-store.port';

/** Lifts one event type's data from one schema version to the next. */
export type Upcaster = Readonly<{
  eventType: string;
  fromVersion: number;
  upcast: (data: unknown, metadata: EventMetadata) => { type?: string; data: unknown };
}>;

/**
 * Old event shapes stay in the store forever; upcasters turn them into the current shape when read, so
 * deciders and projections only know the current one. Chains apply version by version.
 */
export class UpcasterRegistry {
  private readonly byTypeAndVersion = new Map<string, Upcaster>();

  constructor(upcasters: readonly Upcaster[] = []) {
    for (const upcaster of upcasters) this.register(upcaster);
  }

  register(upcaster: Upcaster): this {
    const key = `${upcaster.eventType}@${upcaster.fromVersion}`;
    if (this.byTypeAndVersion.has(key)) throw new Error(`Two upcasters for ${key}`);
    this.byTypeAndVersion.set(key, upcaster);
    return this;
  }

  /** Whether no upcaster is registered: every event reads as it was stored. */
  isEmpty(): boolean {
    return this.byTypeAndVersion.size === 0;
  }

  /** Applies every upcaster registered from the event's stored version on, following renames. */
  upcast(
    type: string,
    data: unknown,
    metadata: EventMetadata,
  ): { type: string; data: unknown; metadata: EventMetadata } {
    let current = { type, data, metadata };
    for (;;) {
      const upcaster = this.byTypeAndVersion.get(`${current.type}@${current.metadata.schemaVersion}`);
      if (!upcaster) return current;
      const lifted = upcaster.upcast(current.data, current.metadata);
      current = {
        type: lifted.type ?? current.type,
        data: lifted.data,
        metadata: { ...current.metadata, schemaVersion: current.metadata.schemaVersion + 1 },
      };
    }
  }
}
