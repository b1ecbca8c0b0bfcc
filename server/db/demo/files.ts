import { randomUUID } from 'node:crypto';
import sharp from 'sharp';
import { StoryCalendar } from './calendar.js';
import { demoCommands as run } from './commands.js';
import type { Timeline } from './timeline.js';
import type { DemoWorld } from './world.js';

/** A phone photo of a signed contract page: paper, lines of text, a red seal — with the GPS position phones write (the upload strips it). */
async function contractPhoto(): Promise<Buffer> {
  const lines = Array.from({ length: 14 }, (_, i) => `<rect x="120" y="${140 + i * 48}" width="${i % 4 === 3 ? 420 : 760}" height="14" fill="#555" opacity="0.55"/>`).join('');
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="1000" height="1300">
    <rect width="1000" height="1300" fill="#8a7b66"/>
    <rect x="60" y="60" width="880" height="1180" fill="#f7f3ea"/>
    <rect x="120" y="90" width="520" height="26" fill="#333"/>${lines}
    <circle cx="760" cy="1050" r="110" fill="none" stroke="#c8102e" stroke-width="14"/>
    <polygon points="760,980 778,1032 834,1032 789,1064 806,1116 760,1085 714,1116 731,1064 686,1032 742,1032" fill="#c8102e"/>
  </svg>`;
  return sharp(Buffer.from(svg))
    .withExif({ IFD0: { Make: 'Huawei', Model: 'P60' }, IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '31/1 13/1 50/1', GPSLongitudeRef: 'E', GPSLongitude: '121/1 28/1 30/1' } })
    .jpeg({ quality: 82 })
    .toBuffer();
}

/** A small PDF of one page with one line of (ASCII) text: a readable stand-in for a real document. */
function pdf(title: string): Buffer {
  const text = `BT /F1 18 Tf 72 720 Td (${title.replace(/[()\\]/g, '')}) Tj ET`;
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>',
    `<< /Length ${text.length} >>\nstream\n${text}\nendstream`,
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
  ];
  let body = '%PDF-1.4\n';
  const offsets: number[] = [];
  objects.forEach((o, i) => {
    offsets.push(body.length);
    body += `${i + 1} 0 obj\n${o}\nendobj\n`;
  });
  const xref = body.length;
  body += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n${offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('')}`;
  body += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(body, 'latin1');
}

const priceSheet = () =>
  Buffer.from(
    '\uFEFF产品,型号,单价（元）,起订量\n工业交换机,HT-S2400,3680,10\n光纤收发器,HT-F100,420,50\n机柜 42U,HT-R42,2150,5\n',
    'utf8',
  );

/**
 * The demo company's files, uploaded and attached through the product's commands: 陈静 sends the
 * photo of the signed 华信 contract to 华东销售部 (its GPS position stripped on upload); 王芳 adds
 * 华信's tender documents and the price sheet to the customer (they show in its feed and Files tab);
 * 张伟 attaches the travel expense policy as a PDF to its announcement.
 */
export function planFiles(timeline: Timeline, world: DemoWorld, calendar: StoryCalendar): void {
  // On working days, as the chat's story is: a Saturday photo would come after Friday evening's unread lines and mark them read.
  timeline.add(calendar.at(calendar.workdayOnOrBefore(-2), '10:15'), 'chenjing sends the photo of the signed contract', async (s) => {
    const sender = world.userId('chenjing');
    const photo = await run.uploadFile(s, sender, '华信合同盖章页.jpg', await contractPhoto());
    await run.sendMessage(s, sender, { conversationId: world.conversation('east'), clientId: randomUUID(), body: world.rich('华信的合同签好了，盖章页拍给大家看 👍'), attachmentIds: [photo.id] });
  });
  timeline.add(calendar.at(calendar.workdayOnOrBefore(-5), '14:20'), 'wangfang adds the tender documents to 华信', async (s) => {
    const owner = world.userId('wangfang');
    const tender = await run.uploadFile(s, owner, '华信科技-招标文件.pdf', pdf('Huaxin Technology - Tender documents 2026'));
    const prices = await run.uploadFile(s, owner, '报价单.csv', priceSheet());
    await run.attachFiles(s, owner, 'customer', world.customer('huaxin').id, [tender.id, prices.id]);
  });
  timeline.add(StoryCalendar.plus(calendar.at(-24, '09:30'), 5), 'zhangwei attaches the policy PDF', async (s) => {
    const publisher = world.userId('zhangwei');
    const [policy] = await s.tx.execute<{ id: string }[]>(`SELECT id::text AS id FROM announcements WHERE title = '差旅费报销制度' AND publisher_id = ?`, [publisher]);
    const document = await run.uploadFile(s, publisher, '差旅费报销制度.pdf', pdf('Travel expense policy'));
    await run.attachFiles(s, publisher, 'announcement', policy.id, [document.id]);
  });
}
