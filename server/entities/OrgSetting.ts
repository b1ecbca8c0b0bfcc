import { defineEntity, p } from '@mikro-orm/core';

const OrgSettingSchema = defineEntity({
  name: 'OrgSetting',
  tableName: 'org_settings',
  properties: {
    key: p.string().length(60).primary(),
    value: p.json<unknown>(),
    updatedAt: p.datetime().onCreate(() => new Date()).onUpdate(() => new Date()),
  },
});

/** One organisation-wide setting (one organisation per deployment). */
export class OrgSetting extends OrgSettingSchema.class {}
OrgSettingSchema.setClass(OrgSetting);
export { OrgSettingSchema };
