/** Injection tokens for the infrastructure every app shares. */
export const APP_CONFIG = Symbol('AppConfig');
export const DATABASE = Symbol('DatabaseConnection');
export const EVENT_STORE = Symbol('EventStore');
/** Where the current time comes from (`Clock`); a test overrides it with a fixed clock. */
export const CLOCK = Symbol('Clock');
/** The `WritePath` every command goes through: the event store, the clock and the aggregate cache. */
export const WRITE_PATH = Symbol('WritePath');
