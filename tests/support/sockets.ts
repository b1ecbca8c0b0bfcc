import { io, type Socket } from 'socket.io-client';
import type { Ack, ClientToServerEvents, ServerToClientEvents, StreamEventEnvelope } from '../../shared/realtime.js';

export type TestSocket = Socket<ServerToClientEvents, ClientToServerEvents> & { received: StreamEventEnvelope[] };

/** A real socket.io-client connection; resolves once connected, rejects with the server's connect_error. */
export function connectSocket(url: string, options: { token?: string; headers?: Record<string, string>; reconnection?: boolean } = {}): Promise<TestSocket> {
  const socket = io(url, {
    transports: ['websocket'],
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
