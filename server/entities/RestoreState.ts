import { defineEntity, p } from '@mikro-orm/core';

const RestoreStateSchema = defineEntity({
  name: 'RestoreState',
  tableName: 'restore_state',
  properties: {
    id: p.integer().primary(),
    /** Changes with every restore; clients that saw another one reload and follow their streams afresh. */
    epoch: p.string().length(64),
    restoredAt: p.datetime().nullable(),
    archive: p.string().length(200).nullable(),
  },
});

/** One row: the restore epoch of this database. */
export class RestoreState extends RestoreStateSchema.class {}
RestoreStateSchema.setClass(RestoreState);
export { RestoreStateSchema };
