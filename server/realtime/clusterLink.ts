import pg from 'pg';
import type { Logger } from 'pino';

export type ClusterLink = {
  /** The pool to give @socket.io/postgres-adapter. */
  pool: pg.Pool;
  /** True while this process LISTENs, that is, hears what the other processes push. */
  isListening: () => boolean;
};

/**
 * The connection pool of the Socket.IO cluster (REALTIME_ADAPTER=postgres), made to survive
 * PostgreSQL going away and coming back:
 * - the adapter takes one client for LISTEN and, when its connection ends, takes another after
 *   1–3 s without releasing the first: after one outage its pool of two was full and every NOTIFY
 *   waited forever. A client handed out by the promise form of `connect` (only the adapter uses
 *   it; pool.query passes a callback) goes back to the pool, destroyed, when its connection ends;
 * - it listens for no 'error' on that client, so the error of the lost connection was thrown out
 *   of the process; every client gets a listener;
 * - what other processes pushed while this one was not listening is lost (NOTIFY is not stored).
 *   Once it listens again, `onRelisten` runs so that this process's sockets catch up (see start.ts).
 */
export function createClusterLink(databaseUrl: string, logger: Logger, onRelisten: () => void): ClusterLink {
  const pool = new pg.Pool({ connectionString: databaseUrl, max: 2 });
  let listening = false;
  let lost = false;
  pool.on('error', (error) => logger.warn({ err: error }, 'realtime cluster connection lost'));
  pool.on('connect', (client) => client.on('error', (error) => logger.warn({ err: error }, 'realtime cluster connection lost; reconnecting')));

  const connect = pool.connect.bind(pool) as (callback?: unknown) => Promise<pg.PoolClient> | undefined;
  (pool as unknown as { connect: (callback?: unknown) => unknown }).connect = (callback?: unknown) => {
    if (callback) return connect(callback);
    return connect()!.then((client) => {
      let released = false;
      const release = client.release.bind(client);
      client.release = (error?: Error | boolean) => {
        released = true;
        return release(error);
      };
      client.once('end', () => {
        if (listening) logger.warn('realtime cluster: no longer hearing the other processes; reconnecting');
        listening = false;
        lost = true;
        if (!released) client.release(true);
      });
      const query = client.query.bind(client) as (...args: unknown[]) => Promise<unknown>;
      (client as unknown as { query: (...args: unknown[]) => unknown }).query = (...args: unknown[]) => {
        const result = query(...args);
        if (typeof args[0] === 'string' && args[0].startsWith('LISTEN') && result instanceof Promise) {
          void result.then(() => {
            if (listening) return;
            listening = true;
            if (lost) {
              lost = false;
              logger.info('realtime cluster: hearing the other processes again');
              onRelisten();
            }
          }, () => undefined);
        }
        return result;
      };
      return client;
    });
  };
  return { pool, isListening: () => listening };
}
