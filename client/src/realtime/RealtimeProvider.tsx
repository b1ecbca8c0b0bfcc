import { createContext, useContext, useEffect, useRef, useState, useSyncExternalStore, type ReactNode } from 'react';
import type { StreamEvent, StreamKind, StreamName } from '../../../shared/realtime';
import { browserStorage } from './cursors';
import { RealtimeClient, type ConnectionState, type SessionEndReason } from './connection';

const RealtimeContext = createContext<RealtimeClient | null>(null);

/** Owns the signed-in user's connection for as long as it is mounted (key it by user id). */
export function RealtimeProvider({ userId, onSessionEnded, children }: { userId: string; onSessionEnded: (reason: SessionEndReason) => void; children: ReactNode }) {
  const endedRef = useRef(onSessionEnded);
  endedRef.current = onSessionEnded;
  const [client] = useState(() => new RealtimeClient({ userId, storage: browserStorage(), onSessionEnded: (reason) => endedRef.current(reason) }));
  useEffect(() => {
    client.connect();
    return () => client.close();
  }, [client]);
  return <RealtimeContext.Provider value={client}>{children}</RealtimeContext.Provider>;
}

/** The connection of the signed-in user. */
export function useRealtime(): RealtimeClient {
  const client = useContext(RealtimeContext);
  if (!client) throw new Error('useRealtime must be used inside <RealtimeProvider>');
  return client;
}

/** The live connection state, re-rendering on every change. */
export function useConnectionState(): ConnectionState {
  const client = useRealtime();
  return useSyncExternalStore(
    (notify) => client.onStateChange(notify),
    () => client.getState(),
  );
}

/** Follows a stream while the component is mounted; the latest handler is always the one called. Events come typed by the stream's kind. */
export function useStream<K extends StreamKind>(stream: StreamName<K>, handler: (envelope: StreamEvent<K>) => void): void {
  const client = useRealtime();
  const handlerRef = useRef(handler);
  handlerRef.current = handler;
  useEffect(() => client.follow<K>(stream, (envelope) => handlerRef.current(envelope)), [client, stream]);
}
