/**
 * The baseline: a bare Socket.IO 4 server with no authentication and no storage. A client names
 * its room in the handshake (`auth: { room }`) and joins it on connect; a client event `send` is
 * relayed to the room as the same `event` envelope Huitong pushes, and acknowledged.
 */
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Server } from 'socket.io';

export type BareServer = { port: number; url: string; close: () => Promise<void> };

export async function startBareServer(host = '127.0.0.1'): Promise<BareServer> {
  const httpServer = http.createServer((_req, res) => {
    res.statusCode = 404;
    res.end();
  });
  const io = new Server(httpServer, { path: '/socket.io', serveClient: false });
  let seq = 0;
  io.on('connection', (socket) => {
    const room = (socket.handshake.auth as { room?: unknown } | undefined)?.room;
    if (typeof room === 'string') socket.join(room);
    socket.on('send', (payload: { room?: unknown }, ack?: (r: unknown) => void) => {
      if (typeof payload?.room === 'string') {
        io.to(payload.room).emit('event', { stream: payload.room, seq: ++seq, type: 'message.created', data: { message: payload }, at: new Date().toISOString() });
      }
      if (typeof ack === 'function') ack({ ok: true, data: { seq } });
    });
  });
  await new Promise<void>((resolve, reject) => {
    httpServer.once('error', reject);
    httpServer.listen(0, host, () => resolve());
  });
  const port = (httpServer.address() as AddressInfo).port;
  return {
    port,
    url: `http://${host}:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        io.disconnectSockets(true);
        io.close(() => resolve());
      }),
  };
}

/** bench:files' baseline: GET streams one file from disk (Content-Length, no checks), as fast as Node serves a file. */
export async function startBareFileServer(file: string, host = '127.0.0.1'): Promise<BareServer> {
  const { size } = await fs.promises.stat(file);
  const httpServer = http.createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/pdf', 'content-length': size });
    fs.createReadStream(file).pipe(res);
  });
  await new Promise<void>((resolve, reject) => {
    httpServer.once('error', reject);
    httpServer.listen(0, host, () => resolve());
  });
  const port = (httpServer.address() as AddressInfo).port;
  return { port, url: `http://${host}:${port}`, close: () => new Promise<void>((resolve) => httpServer.close(() => resolve())) };
}
