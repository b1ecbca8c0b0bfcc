import { defineEntity, p } from '@mikro-orm/core';

const StreamHeadSchema = defineEntity({
  name: 'StreamHead',
  tableName: 'stream_heads',
  properties: {
    stream: p.string().length(80).primary(),
    lastSeq: p.bigint('number').default(0),
  },
});

/** The last sequence handed out per stream; its row lock orders concurrent writers. */
export class StreamHead extends StreamHeadSchema.class {}
StreamHeadSchema.setClass(StreamHead);
export { StreamHeadSchema };
