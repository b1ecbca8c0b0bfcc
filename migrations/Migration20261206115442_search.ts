import { Migration } from '@mikro-orm/migrations';

/**
 * The search index (server/search/): one row per searchable object in `search_documents`, whose
 * `tokens` (made by server/search/tokens.ts, not SQL) a GIN index serves; and `search_queue`, the
 * objects changed since they were indexed. Triggers on each source table queue a changed row in the
 * transaction that changed it and NOTIFY `search_queue`, so a change is queued exactly when it
 * commits, whatever wrote it (a command, the send queue, an import, the demo seed) and in whichever
 * process; every process's indexer drains the queue. Who may see a document is not stored: search
 * joins the source row and applies the object's own visibility predicate at query time.
 * Written by hand: triggers, and tables only SQL touches (no entity, like login_rate_limits).
 */
export class Migration20261206115442_search extends Migration {

  override name = 'Migration20261206115442_search';

  override up(): void | Promise<void> {
    this.addSql(`create table "search_documents" (
      "kind" text not null, "object_id" bigint not null, "conversation_id" bigint null, "created_at" timestamptz not null,
      "body" text not null, "folded" text not null, "keys" text not null default '', "tokens" text[] not null,
      primary key ("kind", "object_id"));`);
    this.addSql(`create index "search_documents_tokens_index" on "search_documents" using gin ("tokens");`);
    this.addSql(`create index "search_documents_conversation_index" on "search_documents" ("conversation_id") where "conversation_id" is not null;`);
    this.addSql(`create table "search_queue" ("id" bigserial primary key, "kind" text not null, "object_id" bigint not null);`);
    this.addSql(`
      create function search_enqueue() returns trigger language plpgsql as $$
      begin
        insert into search_queue (kind, object_id) values (TG_ARGV[0], case when TG_OP = 'DELETE' then OLD.id else NEW.id end);
        perform pg_notify('search_queue', '');
        return null;
      end $$;`);
    for (const [kind, table, columns] of sources) {
      this.addSql(`create trigger "search_${kind}_changed" after insert or delete or update of ${columns.map((c) => `"${c}"`).join(', ')} on "${table}" for each row execute function search_enqueue('${kind}');`);
      // What exists now is indexed by the first indexer that runs (or by npm run search:reindex).
      this.addSql(`insert into search_queue (kind, object_id) select '${kind}', id from "${table}" order by id;`);
    }
  }

  override down(): void | Promise<void> {
    for (const [kind, table] of sources) this.addSql(`drop trigger "search_${kind}_changed" on "${table}";`);
    this.addSql(`drop function search_enqueue();`);
    this.addSql(`drop table "search_queue";`);
    this.addSql(`drop table "search_documents";`);
  }

}

/** The kinds of searchable objects, their tables and the columns whose change changes their text (see server/search/sources.ts). */
const sources: [kind: string, table: string, columns: string[]][] = [
  ['message', 'messages', ['text', 'kind', 'deleted_at']],
  ['thread', 'board_threads', ['title', 'text']],
  ['reply', 'board_replies', ['text', 'deleted_at']],
  ['report', 'reports', ['text']],
  ['annotation', 'annotations', ['text', 'deleted_at']],
  ['announcement', 'announcements', ['title', 'body_text']],
  ['customer', 'customers', ['name', 'address', 'notes']],
  ['contact', 'contacts', ['name', 'title', 'phone', 'email']],
  ['entry', 'schedule_entries', ['title', 'description_text', 'result_text']],
  ['person', 'users', ['display_name', 'active']],
];
