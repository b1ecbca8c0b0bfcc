/**
 * Compile-time tests of the typed stream events, run by `npm run typecheck` (part of `npm test`):
 * each `@ts-expect-error` fails the type check as soon as the line under it compiles, i.e. as soon
 * as an unknown event type or a wrong payload could be appended, or read without a cast.
 * Nothing here runs.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import { conversationStream } from '../../shared/chat.js';
import { customerStream } from '../../shared/customers.js';
import { userStream, type StreamEvent } from '../../shared/realtime.js';
import { appendEvent, appendEvents, type CommandContext } from '../../server/commands/context.js';
import { appendStreamEvent } from '../../server/realtime/streams.js';
import type { RealtimeClient } from '../../client/src/realtime/connection.js';

export async function serverSide(cx: CommandContext, em: EntityManager) {
  await appendEvent(cx, userStream('1'), 'notification.allRead', { readAt: '2026-01-01T00:00:00.000Z', unreadCount: 0 });
  await appendEvent(cx, conversationStream('7'), 'member.removed', { conversationId: '7', userIds: ['1'] });
  await appendEvents(cx, [{ stream: userStream('1'), type: 'conversation.left', data: { conversationId: '7' } }]);

  // @ts-expect-error an event type no stream has
  await appendEvent(cx, userStream('1'), 'notification.deleted', { id: '1' });
  // @ts-expect-error a payload of the wrong shape (a count as a string)
  await appendEvent(cx, userStream('1'), 'notification.allRead', { readAt: '2026-01-01T00:00:00.000Z', unreadCount: '0' });
  // @ts-expect-error an event of another kind of stream (notifications go to `user:<id>`)
  await appendEvent(cx, conversationStream('7'), 'notification.allRead', { readAt: '2026-01-01T00:00:00.000Z', unreadCount: 0 });
  // @ts-expect-error a payload missing its field
  await appendStreamEvent(em, customerStream('3'), 'feed.item', {});
  // @ts-expect-error a batch with a wrong payload
  await appendEvents(cx, [{ stream: userStream('1'), type: 'conversation.left', data: { conversation: '7' } }]);
  // @ts-expect-error a stream name of no known kind
  await appendEvent(cx, 'board:1', 'notification.allRead', { readAt: '2026-01-01T00:00:00.000Z', unreadCount: 0 });
}

export function clientSide(client: RealtimeClient) {
  client.follow(userStream('1'), (event) => {
    if (event.type === 'notification.created') {
      // The payload is typed by the event type: no cast.
      const count: number = event.data.unreadCount;
      const title: string = event.data.notification.title;
      void [count, title];
      // @ts-expect-error a field that event does not have
      void event.data.userIds;
    }
    // @ts-expect-error an event type of another kind of stream never reaches a user stream's handler
    if (event.type === 'feed.item') void event;
  });
  client.follow(customerStream('3'), (event: StreamEvent<'customer'>) => {
    if (event.type === 'feed.item') void event.data.item.customerName;
  });
}
