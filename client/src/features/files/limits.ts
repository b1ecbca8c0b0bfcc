import { useEffect, useState } from 'react';
import { typeAllowed } from '../../../../shared/files';
import { filesApi, type Limits } from './filesApi';

/**
 * The organisation's file limits and what is left of the user's day, read once per page load and
 * again after each upload (the day's allowance shrinks): shown near every picker and checked before
 * a file is sent. The server checks again whatever the client says.
 */
let current: Limits | null = null;
let loading: Promise<void> | null = null;
const listeners = new Set<(limits: Limits) => void>();

function load(): Promise<void> {
  loading ??= filesApi.limits().then(
    (limits) => {
      current = limits;
      listeners.forEach((listener) => listener(limits));
    },
    () => undefined,
  ).finally(() => {
    loading = null;
  });
  return loading;
}

/** Reads the limits again (after an upload used some of the day's allowance). */
export const refreshLimits = () => void load();

/** The limits now (null until first read); the component re-renders when they change. */
export function useFileLimits(): Limits | null {
  const [limits, setLimits] = useState<Limits | null>(current);
  useEffect(() => {
    listeners.add(setLimits);
    if (!current) void load();
    return () => void listeners.delete(setLimits);
  }, []);
  return limits;
}

/** The limits if already read: what `useUploads` checks a chosen, pasted or dropped file against. */
export const knownLimits = () => current;

/**
 * Why a file will be refused, known before sending it: too large, more than the day has left, or a
 * type the organisation does not accept — by the type the browser reports (the server sniffs the
 * content; a file the browser cannot type is left to it). Plain text under another text type
 * (`.csv` as text/csv) is what the server sniffs as text/plain, so it passes where text/plain does.
 */
export function refusalOf(file: File, limits: Limits | null, pendingBytes = 0): 'too_large' | 'daily_quota' | 'type_not_allowed' | null {
  if (!limits) return null;
  if (file.size > limits.maxFileMb * 1048576) return 'too_large';
  if (file.size + pendingBytes > limits.remainingTodayBytes) return 'daily_quota';
  const type = file.type;
  if (!type || typeAllowed(type, limits.allowedTypes)) return null;
  if (type.startsWith('text/') && !/html|xml/.test(type) && typeAllowed('text/plain', limits.allowedTypes)) return null;
  return 'type_not_allowed';
}

const officeType = /^application\/(msword|vnd\.ms-|vnd\.openxmlformats|x-cfb)/;
const archiveType = /^application\/(zip|x-7z-compressed|x-rar-compressed)$/;

/** The allowed types in words (message keys or the type itself), for the note beside a picker. */
export function typeGroups(allowed: readonly string[]): string[] {
  const groups = allowed.map((type) => {
    if (type === 'image/*') return 'files.type.images';
    if (type === 'audio/*') return 'files.type.audio';
    if (type === 'video/*') return 'files.type.video';
    if (type === 'application/pdf') return 'PDF';
    if (type === 'text/plain') return 'files.type.text';
    if (type === 'text/csv') return 'CSV';
    if (type === 'text/markdown') return 'Markdown';
    if (archiveType.test(type)) return 'files.type.archives';
    if (officeType.test(type)) return 'files.type.office';
    return type;
  });
  return [...new Set(groups)];
}
