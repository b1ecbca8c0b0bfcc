import { defineEntity, p } from '@mikro-orm/core';

const StreamEventSchema = defineEntity({
  name: 'StreamEvent',
  tableName: 'stream_events',
  properties: {
    stream: p.string().length(80).primary(),
    seq: p.bigint('number').primary(),
    type: p.string().length(60),
    payload: p.json<unknown>(),
    createdAt: p.datetime().onCreate(() => new Date()),
  },
});

/** One change in a followed stream (a user's inbox, a conversation, a customer feed), replayable by sequence. */
export class StreamEvent extends StreamEventSchema.class {}
StreamEventSchema.setClass(StreamEvent);
export { StreamEventSchema };
