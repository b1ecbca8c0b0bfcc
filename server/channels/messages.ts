/** E-mail and SMS texts rendered from a notification, in the recipient's language. */
export type Locale = 'zh-CN' | 'en';

export type MessageInput = {
  locale: Locale;
  title: string;
  body: string;
  /** Rich-text HTML (already safe) that replaces the plain body in the HTML part, when the notification has one. */
  bodyHtml?: string | null;
  /** Absolute link into the web client. */
  url: string;
  kind: string;
  urgent: boolean;
};

const t = {
  'zh-CN': { brand: '汇通', open: '在汇通中查看', urgent: '紧急', footer: '您收到这封邮件，是因为您在汇通的通知设置中开启了邮件提醒。', reminder: '提醒' },
  en: { brand: 'Huitong', open: 'Open in Huitong', urgent: 'Urgent', footer: 'You receive this e-mail because e-mail is switched on in your Huitong notification settings.', reminder: 'Reminder' },
};

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/** Subject, plain text and HTML of a notification e-mail. */
export function renderEmail(input: MessageInput): { subject: string; text: string; html: string } {
  const w = t[input.locale];
  const prefix = `[${w.brand}]${input.urgent ? `[${w.urgent}]` : ''} `;
  const subject = (prefix + input.title).slice(0, 250);
  const text = [input.title, '', input.body, '', `${w.open}: ${input.url}`, '', '--', w.footer].filter((l, i) => i !== 2 || l !== '').join('\n');
  const bodyHtml = input.bodyHtml ?? (input.body ? `<p>${escapeHtml(input.body).replace(/\n/g, '<br>')}</p>` : '');
  const html = `<!doctype html><html lang="${input.locale}"><head><meta charset="utf-8"><title>${escapeHtml(input.title)}</title></head>
<body style="font-family:-apple-system,'Segoe UI','PingFang SC','Microsoft YaHei',sans-serif;color:#1f2328;line-height:1.5">
<h2 style="margin:0 0 12px">${escapeHtml(input.title)}</h2>
${bodyHtml}
<p><a href="${escapeHtml(input.url)}" style="display:inline-block;padding:8px 16px;background:#1f6feb;color:#fff;border-radius:6px;text-decoration:none">${w.open}</a></p>
<hr style="border:none;border-top:1px solid #d0d7de"><p style="color:#656d76;font-size:12px">${w.footer}</p>
</body></html>`;
  return { subject, text, html };
}

/**
 * The SMS text: brand, title, body and link, cut so it fits two segments (UCS-2 for Chinese:
 * 2 × 67 characters; GSM-7 for English: 2 × 153), keeping the link whole.
 */
export function renderSms(input: MessageInput): string {
  const w = t[input.locale];
  const limit = /[^\x00-\x7f]/.test(input.title + input.body) || input.locale === 'zh-CN' ? 134 : 306;
  const head = input.locale === 'zh-CN' ? `【${w.brand}】` : `[${w.brand}] `;
  const tail = ` ${input.url}`;
  const content = (input.body ? `${input.title}: ${input.body}` : input.title).replace(/\s+/g, ' ').trim();
  const room = limit - head.length - tail.length;
  const cut = [...content].length > room ? [...content].slice(0, Math.max(0, room - 1)).join('') + '…' : content;
  return head + cut + tail;
}
