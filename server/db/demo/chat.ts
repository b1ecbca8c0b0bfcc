import { StoryCalendar } from './calendar.js';
import { checkIns, conversations, scripts } from './chatScripts.js';
import { demoCommands as run } from './commands.js';
import { staffNames } from './company.js';
import type { DemoRandom } from './random.js';
import type { DayPlans } from './schedule.js';
import type { Timeline } from './timeline.js';
import type { DemoWorld } from './world.js';

/**
 * Group and direct conversations and some three hundred messages over the last two weeks: the
 * scripted ones (with mentions and replies), and each team's morning check-in, answered from the
 * members' schedules. Every evening each person opens their conversations and notifications, so
 * what came after yesterday's evening and today is still unread.
 */
export function planChat(timeline: Timeline, world: DemoWorld, calendar: StoryCalendar, random: DemoRandom, dayPlans: DayPlans): void {
  for (const conversation of conversations) {
    timeline.add(calendar.at(calendar.workdayOnOrBefore(-conversation.createdDaysAgo), `08:${String(random.int(0, 40)).padStart(2, '0')}`), `conversation ${conversation.key}`, async (s) => {
      if (conversation.kind === 'direct') {
        const { conversation: created } = await run.openDirect(s, world.userId(conversation.members[0]), world.userId(conversation.members[1]));
        world.conversations.set(conversation.key, created.id);
        return;
      }
      const ownerId = world.userId(conversation.owner);
      const created = await run.createGroup(s, ownerId, conversation.name, conversation.members.map((login) => world.userId(login)));
      world.conversations.set(conversation.key, created.id);
      if (conversation.admin) await run.makeGroupAdmin(s, ownerId, created.id, world.userId(conversation.admin));
    });
  }

  const scriptedMornings = new Set<string>();
  // Yesterday evening's lines happen on the last working day's evening; today's only on a working day.
  const lastWorkday = calendar.workdayOnOrBefore(-1);
  scripts.forEach((script, index) => {
    if (script.day === 0 && !calendar.isWorkday(0)) return;
    const day = script.evening ? lastWorkday : calendar.workdayOnOrBefore(script.day);
    if (script.time < '10:00') scriptedMornings.add(`${script.conversation}@${day}`);
    let at = calendar.at(day, script.time);
    script.lines.forEach(([author, text, replyTo], line) => {
      if (line > 0) at = StoryCalendar.plus(at, random.int(1, 7));
      sendLine(timeline, world, at, { conversation: script.conversation, author, text, clientId: `demo-${index}-${line}`, key: `s${index}#${line}`, replyTo: replyTo === undefined ? undefined : `s${index}#${replyTo}` });
    });
  });

  for (let day = -14; day <= 0; day++) {
    if (!calendar.isWorkday(day)) continue;
    for (const group of checkIns.groups) {
      if (scriptedMornings.has(`${group.conversation}@${day}`)) continue;
      let at = calendar.at(day, `08:${String(random.int(45, 58))}`);
      sendLine(timeline, world, at, { conversation: group.conversation, author: group.manager, text: random.pick(checkIns.greetings), clientId: `demo-checkin-${day}-${group.manager}`, key: `c${day}${group.manager}` });
      const answered = random.sample(group.members, random.int(group.members.length - 1, group.members.length));
      for (const member of answered) {
        at = StoryCalendar.plus(at, random.int(1, 12));
        sendLine(timeline, world, at, { conversation: group.conversation, author: member, text: dayPlanText(dayPlans(member, day), random), clientId: `demo-checkin-${day}-${member}`, key: `c${day}${member}` });
      }
      // Now and then the manager answers one of them, mentioning them.
      if (answered.length && random.chance(0.4)) {
        const member = random.pick(answered);
        at = StoryCalendar.plus(at, random.int(1, 6));
        const text = `@{${member}} ${random.pick(checkIns.answers)}`;
        sendLine(timeline, world, at, { conversation: group.conversation, author: group.manager, text, clientId: `demo-checkin-${day}-${group.manager}-answer`, key: `c${day}${group.manager}a`, replyTo: `c${day}${member}` });
      }
    }
  }

  // After work on working days; what came after the last of these is unread.
  for (const login of Object.keys(staffNames)) {
    for (let day = -14; day <= -1; day++) {
      if (!calendar.isWorkday(day)) continue;
      timeline.add(StoryCalendar.plus(calendar.at(day, '18:30'), random.int(0, 45)), `${login} catches up`, async (s) => run.catchUp(s, world.userId(login)));
    }
  }
}

function sendLine(timeline: Timeline, world: DemoWorld, at: Date, line: { conversation: string; author: string; text: string; clientId: string; key: string; replyTo?: string }): void {
  timeline.addIfPast(at, `message ${line.key}`, async (s) => {
    const message = await run.sendMessage(s, world.userId(line.author), {
      conversationId: world.conversation(line.conversation), clientId: line.clientId, body: world.rich(line.text),
      replyToId: line.replyTo ? world.messages.get(line.replyTo) ?? null : null,
    });
    world.messages.set(line.key, message.id);
  });
}

/** "上午拜访华信，下午跟进粤海报价。" from a person's entries of the day. */
function dayPlanText(entries: { start: string; title: string }[], random: DemoRandom): string {
  if (!entries.length) return random.pick(checkIns.office);
  const morning = entries.filter((e) => e.start < '12:00').map((e) => e.title);
  const afternoon = entries.filter((e) => e.start >= '12:00').map((e) => e.title);
  const parts = [morning.length ? `上午${morning.join('，然后')}` : '', afternoon.length ? `下午${afternoon.join('，然后')}` : ''].filter(Boolean);
  return `${parts.join('；')}。`;
}
