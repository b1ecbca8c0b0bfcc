import { Migration } from '@mikro-orm/migrations';

/**
 * Messages' search documents keep no tokens: since migration …_search_kind_indexes they have no token
 * index and are found through their conversation and the substring (docs/search.md), so the stored
 * arrays were read by nothing — about 60 % of the documents' size at the benchmark's million messages.
 * A later token index for messages would need `npm run search:reindex`.
 */
export class Migration20261206174000_search_message_tokens extends Migration {

  override name = 'Migration20261206174000_search_message_tokens';

  override up(): void | Promise<void> {
    this.addSql(`update search_documents set tokens = '{}' where kind = 'message' and tokens <> '{}';`);
  }

  override down(): void | Promise<void> {
    // The tokens come back with a re-index (npm run search:reindex); nothing reads them meanwhile.
  }

}
