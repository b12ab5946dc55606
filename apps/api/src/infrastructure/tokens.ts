/** Injection tokens for the infrastructure every app shares. */
export const APP_CONFIG = Symbol('AppConfig');
export const DATABASE = Symbol('DatabaseConnection');
export const EVENT_STORE = Symbol('EventStore');
