/** The reusable realtime layer: one connection, per-stream cursors, gap-free replay. */
export { RealtimeClient, type ConnectionState, type SessionEndReason, type RealtimeOptions } from './connection';
export { StreamSync, type StreamHandler, type SyncTransport } from './streamSync';
export { StreamCursors, browserStorage, memoryStorage, type KeyValueStorage } from './cursors';
export { RealtimeProvider, useRealtime, useConnectionState, useStream } from './RealtimeProvider';
