/** StreamSync on the shared StreamCursor: following from a snapshot's seq, holding back events after a gap, batching. */
import { describe, expect, it } from 'vitest';
import type { StreamEventEnvelope, SyncRequest, SyncResponse } from '../../../shared/realtime.js';
import { StreamCursors } from '../../../client/src/realtime/cursors.js';
import { StreamSync } from '../../../client/src/realtime/streamSync.js';

const envelope = (stream: string, seq: number): StreamEventEnvelope => ({ stream, seq, type: 't', data: {}, at: '' }) as unknown as StreamEventEnvelope;

function fakeServer(events: StreamEventEnvelope[]) {
  const requests: SyncRequest[] = [];
  const sync = async (request: SyncRequest): Promise<SyncResponse> => {
    requests.push(request);
    return { events: events.filter((e) => e.stream in request.streams && e.seq > request.streams[e.stream]), more: [], refused: [] };
  };
  return { requests, transport: { sync, connected: () => true } };
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('StreamSync', () => {
  it('follows from a snapshot’s seq, applies a held-back event once the gap is filled, and drops duplicates', async () => {
    const stored: StreamEventEnvelope[] = [];
    const server = fakeServer(stored);
    const sync = new StreamSync(new StreamCursors(), server.transport);
    const seen: number[] = [];
    sync.follow('conversation:7', (e) => seen.push(e.seq), { fromSeq: 5 });
    await settle();
    expect(server.requests).toEqual([{ streams: { 'conversation:7': 5 } }]);
    // Seq 7 arrives live before 6: it waits; the sync it triggers brings 6, and then 7 applies from the hold.
    stored.push(envelope('conversation:7', 6));
    sync.receive(envelope('conversation:7', 7));
    expect(seen).toEqual([]);
    await settle();
    expect(server.requests[1]).toEqual({ streams: { 'conversation:7': 5 } });
    sync.receive(envelope('conversation:7', 7));
    sync.receive(envelope('conversation:7', 6));
    expect(seen).toEqual([6, 7]);
    expect(sync.cursors.get('conversation:7')).toBe(7);
  });

  it('syncs streams followed together in one go, in batches the server accepts', async () => {
    const server = fakeServer([]);
    const sync = new StreamSync(new StreamCursors(), server.transport);
    for (let i = 1; i <= 450; i++) sync.follow(`conversation:${i}`, () => undefined, { fromSeq: 0 });
    await settle();
    expect(server.requests.map((r) => Object.keys(r.streams).length)).toEqual([200, 200, 50]);
    server.requests.length = 0;
    sync.requestSync();
    await settle();
    expect(server.requests.map((r) => Object.keys(r.streams).length)).toEqual([200, 200, 50]);
  });
});
