import { Migration } from '@mikro-orm/migrations';

/** Sign-in attempts per account and per address (rate-limiter-flexible's RateLimiterPostgres), shared by every server process. */
export class Migration20261130193000_login_rate_limits extends Migration {

  override name = 'Migration20261130193000_login_rate_limits';

  override up(): void | Promise<void> {
    this.addSql(`create table "login_rate_limits" ("key" varchar(255) primary key, "points" integer not null default 0, "expire" bigint);`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table "login_rate_limits";`);
  }

}
