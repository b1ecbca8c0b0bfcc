import type { StoryCalendar } from './calendar.js';
import { customerCatalogue, type DemoContact, type DemoCustomer } from './customerCatalogue.js';
import { demoCommands as run } from './commands.js';
import { roles } from './company.js';
import type { DemoRandom } from './random.js';
import { comments, contactRecords, fill } from './texts.js';
import type { Timeline } from './timeline.js';
import type { DemoWorld } from './world.js';

/** A valuable customer nobody has contacted for over a month, so that the neglected list has something to show. */
export const neglectedCustomers = new Set(['dongsheng']);

/** The values a text about a customer fills in. */
export function customerTextValues(customer: DemoCustomer, random: DemoRandom, contact?: DemoContact): Record<string, string | number> {
  const person = contact ?? (customer.contacts.length ? random.pick(customer.contacts) : undefined);
  return {
    short: customer.short, product: customer.product,
    contact: person ? honorific(person) : '对方',
    title: person?.title ?? '', n: random.int(3, 12), amount: random.int(8, 60),
  };
}

/** How staff address a contact: 李总, 王经理, 林总工, 周主任 …, or the full name. */
export function honorific(contact: DemoContact): string {
  const surname = contact.name.slice(0, 1);
  const title = contact.title;
  if (title.includes('总工')) return `${surname}总工`;
  if (/董事长|总经理|总监|老板/.test(title)) return `${surname}总`;
  const rank = /(厂长|经理|主任|主管|科长|部长)$/.exec(title);
  return rank ? surname + rank[1] : contact.name;
}

const workTime = (random: DemoRandom) => `${String(random.int(9, 17)).padStart(2, '0')}:${String(random.int(0, 11) * 5).padStart(2, '0')}`;

/**
 * Customers of every type, tier and prospect class with contacts (four with a birthday today or in
 * the days ahead, whose owners get care reminders), owners and followers, long enough ago; then their
 * feeds: older contact records, recent calls, visits, e-mails and comments with mentions, and tier
 * and class changes with the reason in a comment.
 */
export function planCustomers(timeline: Timeline, world: DemoWorld, calendar: StoryCalendar, random: DemoRandom): void {
  // The catalogue's "this week" birthdays fall today and in the days ahead, so their care reminders are still to come.
  const birthdayDays = [0, 1, 3, 5];
  let nextBirthday = 0;
  const birthday = (contact: DemoContact) => {
    if (contact.birthday !== 'this-week') return contact.birthday;
    const date = calendar.date(birthdayDays[nextBirthday++ % birthdayDays.length]);
    // Born on 29 February only in a leap year.
    const year = date.month === 2 && date.day === 29 ? random.pick([1976, 1980, 1984, 1988]) : random.int(1975, 1992);
    return `${year}-${String(date.month).padStart(2, '0')}-${String(date.day).padStart(2, '0')}`;
  };

  for (const customer of customerCatalogue) {
    const contacts = customer.contacts.map((ct) => ({
      name: ct.name, title: ct.title, phone: `1${random.pick(['38', '39', '58', '86', '35'])}${random.digits(8)}`,
      email: `${ct.login}@${customer.domain}`, birthday: birthday(ct),
    }));
    timeline.add(calendar.at(calendar.workdayOnOrBefore(-customer.since), workTime(random)), `customer ${customer.key}`, async (s) => {
      const owner = world.user(customer.owners[0]);
      const id = await run.createCustomer(s, owner, {
        // A customer whose class changes in the story starts with the catalogue's class (see planFeedHistory).
        name: customer.name, type: customer.type, tier: customer.tier, prospectClass: customer.prospectClass, address: customer.address, notes: customer.notes,
        ownerIds: customer.owners.map((login) => world.userId(login)), contacts,
      });
      const rows = await s.tx.execute<{ id: string; name: string }[]>(`SELECT id::text AS id, name FROM contacts WHERE customer_id = ?`, [id]);
      world.customers.set(customer.key, { id, name: customer.name, contacts: new Map(rows.map((r) => [r.name, String(r.id)])) });
      for (const login of new Set([...customer.owners, ...customer.followers])) await run.followCustomer(s, world.user(login), id);
    });
    planFeedHistory(timeline, world, calendar, random, customer);
  }
  planRecentFeed(timeline, world, calendar, random);
}

function planFeedHistory(timeline: Timeline, world: DemoWorld, calendar: StoryCalendar, random: DemoRandom, customer: DemoCustomer): void {
  if (customer.type === 'competitor' || !customer.contacts.length) return;
  // An older contact, so that every customer's feed reaches back beyond the story's four weeks.
  const daysAgo = neglectedCustomers.has(customer.key) ? 41 : random.int(32, Math.min(90, customer.since - 1));
  const channel = random.pick(['call', 'visit', 'email'] as const);
  const contact = random.pick(customer.contacts);
  const text = fill(random.pick(contactRecords[channel]), customerTextValues(customer, random, contact));
  timeline.add(calendar.at(calendar.workdayOnOrBefore(-daysAgo), workTime(random)), `older contact with ${customer.key}`, async (s) => {
    const created = world.customer(customer.key);
    await run.recordContact(s, world.user(customer.owners[0]), created.id, { channel, body: world.rich(text), contactIds: [created.contacts.get(contact.name)!] });
  });
  const change = customer.change;
  if (change) {
    const offset = calendar.workdayOnOrBefore(-change.daysAgo);
    timeline.add(calendar.at(offset, '11:20'), `${customer.key} changes class`, async (s) => {
      const actor = world.user(change.by);
      const id = world.customer(customer.key).id;
      await run.updateCustomer(s, actor, id, change.to);
      await run.comment(s, actor, id, world.rich(`调整原因：${change.reason}。`));
    });
  }
}

/** Calls, visits and e-mails logged outside the schedule, and comments, over the last four weeks. */
function planRecentFeed(timeline: Timeline, world: DemoWorld, calendar: StoryCalendar, random: DemoRandom): void {
  const active = customerCatalogue.filter((c) => c.type !== 'competitor' && c.contacts.length && !neglectedCustomers.has(c.key));
  for (let i = 0; i < 30; i++) {
    const customer = random.pick(active);
    const offset = calendar.workdayOnOrBefore(-random.int(1, 27));
    const channel = random.pick(['call', 'call', 'visit', 'email', 'other'] as const);
    const contact = random.pick(customer.contacts);
    const author = random.pick(customer.owners);
    const text = fill(random.pick(contactRecords[channel]), customerTextValues(customer, random, contact));
    timeline.addIfPast(calendar.at(offset, workTime(random)), `contact with ${customer.key}`, async (s) => {
      const created = world.customer(customer.key);
      await run.recordContact(s, world.user(author), created.id, { channel, body: world.rich(text), contactIds: [created.contacts.get(contact.name)!] });
    });
  }
  for (let i = 0; i < 16; i++) {
    const customer = random.pick(active);
    const author = random.pick([...customer.owners, ...customer.followers]);
    // Managers without a sales superior report to the general manager.
    const manager = roles.manager[author] ?? (author === 'zhangwei' ? 'liuyang' : 'zhangwei');
    const colleague = random.pick([...customer.owners, ...customer.followers, 'wangfang', 'liuyang'].filter((login) => login !== author));
    // `@{manager}` in a template becomes `@{wangfang}`, a mention.
    const text = fill(random.pick(comments), { ...customerTextValues(customer, random), manager: `{${manager}}`, colleague: `{${colleague}}` });
    timeline.addIfPast(calendar.at(calendar.workdayOnOrBefore(-random.int(0, 20)), workTime(random)), `comment on ${customer.key}`, async (s) => {
      await run.comment(s, world.user(author), world.customer(customer.key).id, world.rich(text));
    });
  }
}
