import { Migration } from '@mikro-orm/migrations';
import { pinyinKeys } from '../shared/pinyin.js';

/** Pinyin keys of people's names, for finding them by "wangfang" or "wf" (shared/pinyin.ts). */
export class Migration20261206102350_pinyin extends Migration {

  override name = 'Migration20261206102350_pinyin';

  override async up(): Promise<void> {
    await this.execute(`alter table "users" add "name_pinyin" varchar(600) not null default '', add "name_initials" varchar(600) not null default '';`);
    // The keys come from pinyin-pro, not SQL: existing users get theirs here, in one statement.
    const users = (await this.execute(`select id::text as id, display_name from users`)) as { id: string; display_name: string }[];
    if (!users.length) return;
    const keys = users.map((u) => {
      const { full, initials } = pinyinKeys(u.display_name);
      return { id: u.id, pinyin: full, initials };
    });
    await this.execute(
      `update users u set name_pinyin = k.pinyin, name_initials = k.initials from jsonb_to_recordset(?::jsonb) as k(id bigint, pinyin text, initials text) where u.id = k.id`,
      [JSON.stringify(keys)],
    );
  }

  override down(): void | Promise<void> {
    this.addSql(`alter table "users" drop column "name_pinyin", drop column "name_initials";`);
  }

}
