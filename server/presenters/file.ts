import type { FileDTO } from '../../shared/files.js';

/** A file as SQL gives it (the columns of fileColumns, or a JSON object of them). */
export type FileRow = { id: string | number; name: string; size: string | number; mime: string; width: number | null; height: number | null; thumb: boolean; created_at: Date | string };

export function presentFile(row: FileRow): FileDTO {
  const id = String(row.id);
  return {
    id,
    name: row.name,
    size: Number(row.size),
    mime: row.mime,
    width: row.width ?? null,
    height: row.height ?? null,
    url: `/api/files/${id}/content`,
    thumbnailUrl: row.thumb ? `/api/files/${id}/thumbnail` : null,
    createdAt: new Date(row.created_at).toISOString(),
  };
}

/** presentFile over the JSON of attachmentsJsonSql (queries/files.ts). */
export const presentAttachments = (json: unknown): FileDTO[] => ((json as FileRow[] | null) ?? []).map(presentFile);
