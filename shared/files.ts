/** Files and attachments: DTOs, the limits an administrator sets, the kinds of object that hold files. */

/** The kinds of object a file can be attached to; each keeps its own "who may see this" rule. */
export const attachmentHostKinds = ['message', 'thread', 'reply', 'report', 'annotation', 'announcement', 'customer'] as const;
export type AttachmentHostKind = (typeof attachmentHostKinds)[number];

export type FileDTO = {
  id: string;
  name: string;
  size: number;
  /** Sniffed from the content, never taken from the name or the browser. */
  mime: string;
  /** Set for images: their pixel size (after EXIF orientation). */
  width: number | null;
  height: number | null;
  /** `/api/files/<id>/content` (add `?download=1` to save rather than show). */
  url: string;
  /** `/api/files/<id>/thumbnail` for images, else null. */
  thumbnailUrl: string | null;
  createdAt: string;
};

/** The organisation setting `fileLimits`. Types are MIME types or `type/*`. */
export type FileLimits = { maxFileMb: number; dailyMbPerUser: number; allowedTypes: string[] };

export const defaultFileLimits: FileLimits = {
  maxFileMb: 100,
  dailyMbPerUser: 2000,
  allowedTypes: [
    'image/*',
    'audio/*',
    'video/*',
    'application/pdf',
    'text/plain',
    'text/csv',
    'text/markdown',
    'application/zip',
    'application/x-7z-compressed',
    'application/x-rar-compressed',
    'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
    'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    'application/vnd.openxmlformats-officedocument.presentationml.presentation',
    'application/msword',
    'application/vnd.ms-excel',
    'application/vnd.ms-powerpoint',
    'application/x-cfb',
  ],
};

/** Whether a sniffed type is among the allowed ones (`image/*` allows every image). */
export function typeAllowed(mime: string, allowed: readonly string[]): boolean {
  return allowed.some((pattern) => (pattern.endsWith('/*') ? mime.startsWith(pattern.slice(0, -1)) : pattern === mime));
}

/** Images a browser shows and we make thumbnails of; anything else is a file card. */
export const inlineImageTypes = ['image/jpeg', 'image/png', 'image/webp', 'image/gif', 'image/avif'] as const;

/**
 * The files event of a host's own stream (thread, report, announcement): files were attached to or
 * taken off `kind`/`hostId` (the thread or one of its replies; the report or one of its annotations;
 * the announcement). It names no file: followers ask `GET /api/attachments/<kind>?ids=<hostId>`,
 * which answers by the host's own "who may see this" rule (a hidden reply's files stay its author's
 * and the moderators').
 */
export type HostFilesEvents = {
  'attachments.changed': { kind: AttachmentHostKind; hostId: string; count: number };
};

/**
 * A readable line for files sent without text (a conversation's preview, a notification):
 * `[图片] 合同.jpg` / `[Image] contract.jpg`, `[文件] 报价.xlsx`; `words` are the labels in the reader's language.
 */
export function filesLine(files: readonly Pick<FileDTO, 'name' | 'mime'>[], words: { image: string; file: string }): string {
  return files.map((f) => `[${inlineImageTypes.includes(f.mime as (typeof inlineImageTypes)[number]) ? words.image : words.file}] ${f.name}`).join(' ');
}
