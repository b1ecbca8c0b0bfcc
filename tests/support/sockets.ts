import { io, type Socket } from 'socket.io-client';
import type { Ack, ClientToServerEvents, ServerToClientEvents, StreamEventEnvelope } from '../../shared/realtime.js';

export type TestSocket = Socket<ServerToClientEvents, ClientToServerEvents> & { received: StreamEventEnvelope[] };

export type ConnectOptions = {
  token?: string;
  /** Sent with the handshake (Node clients only), e.g. `cookie` or `origin`. */
  headers?: Record<string, string>;
  reconnection?: boolean;
  /** Defaults to websocket only. */
  transports?: ('websocket' | 'polling')[];
};

/** A real socket.io-client connection; resolves once connected, rejects with the server's connect_error. */
export function connectSocket(url: string, options: ConnectOptions = {}): Promise<TestSocket> {
  const socket = io(url, {
    transports: options.transports ?? ['websocket'],
    auth: options.token ? { token: options.token } : {},
    extraHeaders: options.headers,
    reconnection: options.reconnection ?? false,
    forceNew: true,
  }) as TestSocket;
  socket.received = [];
  socket.on('event', (envelope) => socket.received.push(envelope));
  return new Promise((resolve, reject) => {
    socket.once('connect', () => resolve(socket));
    socket.once('connect_error', (error) => {
      socket.close();
      reject(error);
    });
  });
}

/** Emits a client event and resolves with its acknowledgement. */
export function emitWithAck<T = any>(socket: Socket, event: string, payload: unknown, timeoutMs = 5000): Promise<Ack<T>> {
  return socket.timeout(timeoutMs).emitWithAck(event, payload) as Promise<Ack<T>>;
}

/** Resolves with the first received stream event that matches, polling what already arrived. */
export async function waitForEvent(socket: TestSocket, match: (e: StreamEventEnvelope) => boolean, timeoutMs = 5000): Promise<StreamEventEnvelope> {
  const deadline = Date.now() + timeoutMs;
  return new Promise((resolve, reject) => {
    const check = () => {
      const found = socket.received.find(match);
      if (found) return resolve(found);
      if (Date.now() > deadline) return reject(new Error('timed out waiting for a stream event'));
      setTimeout(check, 10);
    };
    check();
  });
}

/** Resolves when the socket disconnects, with the reason. */
export function waitForDisconnect(socket: Socket, timeoutMs = 5000): Promise<string> {
  return new Promise((resolve, reject) => {
    if (!socket.connected) return resolve('already disconnected');
    const timer = setTimeout(() => reject(new Error('socket stayed connected')), timeoutMs);
    socket.once('disconnect', (reason) => {
      clearTimeout(timer);
      resolve(reason);
    });
  });
}

/** The connect_error of a connection the server must refuse; fails when it connects instead. */
export async function connectError(url: string, options: ConnectOptions = {}): Promise<Error & { data?: { code?: string; message?: string } }> {
  try {
    const socket = await connectSocket(url, options);
    socket.close();
  } catch (error) {
    return error as Error & { data?: { code?: string; message?: string } };
  }
  throw new Error('the server accepted a connection it should have refused');
}

/** Resolves with the payload of the next server event of that name. */
export function nextServerEvent<E extends keyof ServerToClientEvents>(socket: TestSocket, event: E, timeoutMs = 5000): Promise<Parameters<ServerToClientEvents[E]>[0]> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`timed out waiting for "${String(event)}"`)), timeoutMs);
    (socket as unknown as Socket).once(event as string, (payload: Parameters<ServerToClientEvents[E]>[0]) => {
      clearTimeout(timer);
      resolve(payload);
    });
  });
}
