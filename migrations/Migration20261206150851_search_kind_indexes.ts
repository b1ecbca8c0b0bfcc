import { Migration } from '@mikro-orm/migrations';

/** The kinds of search documents found through a token index when this migration was written (shared/search.ts `searchKinds`, less messages). */
const kinds = ['thread', 'reply', 'report', 'annotation', 'announcement', 'customer', 'contact', 'entry', 'person'];

/**
 * One GIN index of search tokens per kind of document instead of one for all (docs/search.md,
 * "What limits speed"): `kind = '…'` is each index's own predicate instead of a second bitmap (the
 * primary key's, one entry per document of the kind) the planner ANDed with the token match.
 * Messages get none: a user sees only the messages of their conversations, so a search reads those
 * documents by `search_documents_conversation_index` and confirms the substring; a token index over
 * every message returned tens of thousands of postings of other people's conversations for a common
 * word, and cost every message sent a GIN update.
 */
export class Migration20261206150851_search_kind_indexes extends Migration {

  override name = 'Migration20261206150851_search_kind_indexes';

  override up(): void | Promise<void> {
    this.addSql(`drop index if exists "search_documents_tokens_index";`);
    for (const kind of kinds) this.addSql(`create index "search_documents_${kind}_tokens_index" on "search_documents" using gin ("tokens") where "kind" = '${kind}';`);
  }

  override down(): void | Promise<void> {
    for (const kind of kinds) this.addSql(`drop index if exists "search_documents_${kind}_tokens_index";`);
    this.addSql(`create index "search_documents_tokens_index" on "search_documents" using gin ("tokens");`);
  }

}
