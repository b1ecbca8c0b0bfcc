import type { User } from '../../entities/User.js';
import { demoRichText, type Mentionable } from './richText.js';

/** A customer of the story once created: its id and its contacts' ids by name. */
export type CreatedCustomer = { id: string; name: string; contacts: Map<string, string> };

/**
 * What the story has created so far, by the names the story files use (logins, customer keys,
 * conversation keys). Steps fill it as they run; a later step that finds its object missing ran
 * too early, which is a bug in the story's dates.
 */
export class DemoWorld {
  readonly users = new Map<string, User>();
  readonly departments = new Map<string, string>();
  readonly customers = new Map<string, CreatedCustomer>();
  readonly conversations = new Map<string, string>();
  /** Messages by "<conversation key>#<line>", for replies. */
  readonly messages = new Map<string, string>();

  user(login: string): User {
    return found(this.users.get(login), `user ${login}`);
  }

  userId(login: string): string {
    return String(this.user(login).id);
  }

  customer(key: string): CreatedCustomer {
    return found(this.customers.get(key), `customer ${key}`);
  }

  conversation(key: string): string {
    return found(this.conversations.get(key), `conversation ${key}`);
  }

  /** A demo text as rich text, `@{login}` becoming a mention. */
  rich(text: string): Record<string, unknown> {
    return demoRichText(text, (login) => this.person(login));
  }

  private person(login: string): Mentionable {
    const user = this.user(login);
    return { id: String(user.id), displayName: user.displayName };
  }
}

function found<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new Error(`the demo story used ${what} before creating it`);
  return value;
}
