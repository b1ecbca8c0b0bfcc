import { Migration } from '@mikro-orm/migrations';

/**
 * Board places on the search documents of threads and replies (server/search/documents.ts
 * `boardPlace`): the tokens `<kind>|@board:<board>` and `<kind>|@board:<board>:by:<starter>`, so that
 * a search looks up, in the same GIN index as the words, only the documents of the boards a user
 * may read (docs/search.md, "What limits speed"). A thread's board can change (a moderator moves
 * it): the thread's trigger now also fires on `board_id`, and a second trigger queues the thread's
 * replies, whose documents carry their thread's board. Documents indexed before this migration get
 * their places here, in SQL (the same strings as boardPlace), without a re-index.
 */
export class Migration20261206173000_search_board_places extends Migration {

  override name = 'Migration20261206173000_search_board_places';

  override up(): void | Promise<void> {
    this.addSql(`drop trigger "search_thread_changed" on "board_threads";`);
    this.addSql(`create trigger "search_thread_changed" after insert or delete or update of "title", "text", "board_id" on "board_threads" for each row execute function search_enqueue('thread');`);
    this.addSql(`
      create function search_enqueue_thread_replies() returns trigger language plpgsql as $$
      begin
        insert into search_queue (kind, object_id) select 'reply', r.id from board_replies r where r.thread_id = NEW.id order by r.id;
        perform pg_notify('search_queue', '');
        return null;
      end $$;`);
    this.addSql(`create trigger "search_thread_replies_moved" after update of "board_id" on "board_threads" for each row
      when (OLD.board_id is distinct from NEW.board_id) execute function search_enqueue_thread_replies();`);
    this.addSql(`update search_documents d set tokens = d.tokens || array['thread|@board:' || t.board_id, 'thread|@board:' || t.board_id || ':by:' || t.author_id]
      from board_threads t where d.kind = 'thread' and t.id = d.object_id and not d.tokens @> array['thread|@board:' || t.board_id];`);
    this.addSql(`update search_documents d set tokens = d.tokens || array['reply|@board:' || t.board_id, 'reply|@board:' || t.board_id || ':by:' || t.author_id]
      from board_replies r join board_threads t on t.id = r.thread_id where d.kind = 'reply' and r.id = d.object_id and not d.tokens @> array['reply|@board:' || t.board_id];`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop trigger "search_thread_replies_moved" on "board_threads";`);
    this.addSql(`drop function search_enqueue_thread_replies();`);
    this.addSql(`drop trigger "search_thread_changed" on "board_threads";`);
    this.addSql(`create trigger "search_thread_changed" after insert or delete or update of "title", "text" on "board_threads" for each row execute function search_enqueue('thread');`);
    this.addSql(`update search_documents set tokens = array(select t from unnest(tokens) t where t not like '%|@board:%') where kind in ('thread', 'reply');`);
  }

}
