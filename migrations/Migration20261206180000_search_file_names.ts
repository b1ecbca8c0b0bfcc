import { Migration } from '@mikro-orm/migrations';

/**
 * File names in search (server/search/documents.ts `withFileNames`): a host's document holds the names
 * of its attached files after its text, so a search for a file's name finds the message, thread,
 * reply, report, annotation, announcement or customer it was shared in, by that host's own rule.
 * Attaching or removing a file queues its host, in the transaction that changed it, like the source
 * tables' triggers of migration …_search; hosts that have files now are queued for the indexer.
 */
export class Migration20261206180000_search_file_names extends Migration {

  override name = 'Migration20261206180000_search_file_names';

  override up(): void | Promise<void> {
    this.addSql(`
      create function search_enqueue_attachment_host() returns trigger language plpgsql as $$
      begin
        if TG_OP = 'DELETE' then
          insert into search_queue (kind, object_id) values (OLD.host_kind, OLD.host_id);
        else
          insert into search_queue (kind, object_id) values (NEW.host_kind, NEW.host_id);
        end if;
        perform pg_notify('search_queue', '');
        return null;
      end $$;`);
    this.addSql(`create trigger "search_attachment_changed" after insert or delete on "attachments" for each row execute function search_enqueue_attachment_host();`);
    this.addSql(`insert into search_queue (kind, object_id) select host_kind, host_id from (select distinct host_kind, host_id from attachments) h order by host_kind, host_id;`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop trigger "search_attachment_changed" on "attachments";`);
    this.addSql(`drop function search_enqueue_attachment_host();`);
  }

}
