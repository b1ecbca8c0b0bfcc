/**
 * Visible strings of the editor. Callers pass `labels` (e.g. from the i18n
 * `t()`); anything not passed falls back to the built-in set for the page
 * language, which the I18nProvider keeps in <html lang>.
 */
export type RichTextLabels = {
  toolbar: string;
  bold: string;
  italic: string;
  underline: string;
  bulletList: string;
  numberedList: string;
  checkList: string;
  quote: string;
  code: string;
  link: string;
  unlink: string;
  linkPrompt: string;
  linkInvalid: string;
  mentionList: string;
  /** The name of a mention of everyone, without the @. */
  everyone: string;
  /** Beside it in the picker: what it does. */
  everyoneDetail: string;
  editor: string;
};

const zhCN: RichTextLabels = {
  toolbar: '格式',
  bold: '粗体',
  italic: '斜体',
  underline: '下划线',
  bulletList: '项目符号列表',
  numberedList: '编号列表',
  checkList: '待办列表',
  quote: '引用',
  code: '代码块',
  link: '插入链接',
  unlink: '移除链接',
  linkPrompt: '链接地址（http、https 或 mailto）：',
  linkInvalid: '链接地址必须以 http://、https:// 或 mailto: 开头。',
  mentionList: '提及成员',
  everyone: '所有人',
  everyoneDetail: '通知群里每一位成员',
  editor: '富文本编辑器',
};

const en: RichTextLabels = {
  toolbar: 'Formatting',
  bold: 'Bold',
  italic: 'Italic',
  underline: 'Underline',
  bulletList: 'Bulleted list',
  numberedList: 'Numbered list',
  checkList: 'Checklist',
  quote: 'Quote',
  code: 'Code block',
  link: 'Insert link',
  unlink: 'Remove link',
  linkPrompt: 'Link address (http, https or mailto):',
  linkInvalid: 'The link address must start with http://, https:// or mailto:.',
  mentionList: 'Mention someone',
  everyone: 'all',
  everyoneDetail: 'Notifies every member of the group',
  editor: 'Rich text editor',
};

/** The caller's labels over the built-in ones for the current page language. */
export function resolveLabels(labels: Partial<RichTextLabels> | undefined): RichTextLabels {
  const lang = typeof document === 'undefined' ? 'zh-CN' : document.documentElement.lang;
  return { ...(lang.startsWith('en') ? en : zhCN), ...labels };
}
