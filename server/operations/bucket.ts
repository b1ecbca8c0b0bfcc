/**
 * The files' S3 bucket as the backups see it: the stored files' objects (hashed into the manifest
 * at backup, checked for at restore) and the archives kept under `backups/` when files are on S3.
 * The SDK is loaded only when S3 is configured, as the files store does (server/files/storage.ts).
 */
import fs from 'node:fs';
import { createHash } from 'node:crypto';
import type { Readable } from 'node:stream';
import type { S3Client } from '@aws-sdk/client-s3';
import type { Config } from '../config/env.js';

/** Where archives go in the bucket, beside the files' `blobs/` and `thumbs/`. */
export const BACKUP_PREFIX = 'backups/';

const sdk = async () => {
  const [s3, storage] = await Promise.all([import('@aws-sdk/client-s3'), import('@aws-sdk/lib-storage')]);
  return { ...s3, Upload: storage.Upload };
};
type Sdk = Awaited<ReturnType<typeof sdk>>;

/** A stored object as the manifest records it. */
export type StoredObject = { key: string; bytes: number; sha256: string };

/** Runs `work` over `items` with at most `width` at a time, results in order. */
async function eachLimited<T, R>(items: T[], width: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(width, items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        results[i] = await work(items[i]!);
      }
    }),
  );
  return results;
}

const notFound = (error: unknown) => {
  const e = error as { name?: string; $metadata?: { httpStatusCode?: number } };
  return e?.name === 'NotFound' || e?.name === 'NoSuchKey' || e?.$metadata?.httpStatusCode === 404;
};

export class BackupBucket {
  private constructor(
    readonly name: string,
    readonly endpoint: string | undefined,
    readonly client: S3Client,
    private readonly aws: Sdk,
  ) {}

  /** The bucket of FILE_STORAGE=s3, or null when files are on local disk. */
  static async open(files: Config['files']): Promise<BackupBucket | null> {
    if (files.storage !== 's3' || !files.s3) return null;
    const s3 = files.s3;
    const aws = await sdk();
    const client = new aws.S3Client({
      endpoint: s3.endpoint,
      region: s3.region,
      forcePathStyle: s3.forcePathStyle,
      credentials: s3.accessKeyId && s3.secretAccessKey ? { accessKeyId: s3.accessKeyId, secretAccessKey: s3.secretAccessKey } : undefined,
    });
    return new BackupBucket(s3.bucket, s3.endpoint, client, aws);
  }

  /**
   * Size and sha256 of each object, read through (a few at a time, never held in memory): S3's own
   * ETag is no content hash for multipart uploads. An object gone since the snapshot (the collector
   * removed it) is returned as null.
   */
  describe(keys: string[]): Promise<(StoredObject | null)[]> {
    return eachLimited(keys, 4, async (key) => {
      let body: Readable;
      try {
        body = (await this.client.send(new this.aws.GetObjectCommand({ Bucket: this.name, Key: key }))).Body as Readable;
      } catch (error) {
        if (notFound(error)) return null;
        throw error;
      }
      const hash = createHash('sha256');
      let bytes = 0;
      for await (const chunk of body) {
        hash.update(chunk as Buffer);
        bytes += (chunk as Buffer).length;
      }
      return { key, bytes, sha256: hash.digest('hex') };
    });
  }

  /** The objects that are not in the bucket, or not at the size recorded: what a restore would lack. */
  async missing(objects: { key: string; bytes: number }[]): Promise<{ key: string; problem: 'missing' | 'size' }[]> {
    const found = await eachLimited(objects, 8, async (object) => {
      try {
        const head = await this.client.send(new this.aws.HeadObjectCommand({ Bucket: this.name, Key: object.key }));
        return head.ContentLength === object.bytes ? null : { key: object.key, problem: 'size' as const };
      } catch (error) {
        if (notFound(error)) return { key: object.key, problem: 'missing' as const };
        throw error;
      }
    });
    return found.filter((f): f is NonNullable<typeof f> => f !== null);
  }

  /** Uploads a complete archive from local disk in parts, each read from disk as it goes (bounded memory). */
  async putArchive(localFile: string, name: string): Promise<void> {
    await new this.aws.Upload({ client: this.client, params: { Bucket: this.name, Key: BACKUP_PREFIX + name, Body: fs.createReadStream(localFile), ContentType: 'application/octet-stream' } }).done();
  }

  /** The archive's bytes and size, or null when it is not in the bucket. */
  async openArchive(name: string): Promise<{ stream: Readable; bytes: number } | null> {
    try {
      const answer = await this.client.send(new this.aws.GetObjectCommand({ Bucket: this.name, Key: BACKUP_PREFIX + name }));
      return { stream: answer.Body as Readable, bytes: Number(answer.ContentLength ?? 0) };
    } catch (error) {
      if (notFound(error)) return null;
      throw error;
    }
  }

  async removeArchive(name: string): Promise<void> {
    await this.client.send(new this.aws.DeleteObjectCommand({ Bucket: this.name, Key: BACKUP_PREFIX + name }));
  }

  close(): void {
    this.client.destroy();
  }
}
