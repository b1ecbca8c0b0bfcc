import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import type { S3Client } from '@aws-sdk/client-s3';
import type { Config } from '../config/env.js';

/** How a stored object is to be served: its type and Content-Disposition (S3 puts them on the presigned answer). */
export type ServeAs = { contentType: string; disposition: string };

/**
 * Where file contents live. Keys are ours (`blobs/<uuid>`, `thumbs/<uuid>.webp`), never a user's
 * name. `put` takes a file that is already complete on local disk (uploads are checked there first),
 * so a refused upload never reaches the store.
 */
export interface FileStorage {
  readonly kind: 'local' | 's3';
  put(key: string, localFile: string, contentType: string): Promise<void>;
  /** A local path to stream from (local disk only). */
  pathOf?(key: string): string;
  /** A short-lived URL to the object (S3 only). */
  presignedUrl?(key: string, serveAs: ServeAs, ttlSeconds: number): Promise<string>;
  read(key: string): Promise<Readable>;
  delete(key: string): Promise<void>;
  /** Where uploads are spooled while they are checked (always local disk). */
  readonly spoolDir: string;
  /**
   * Makes the directories ready, at the first upload rather than at start: a server that never
   * receives a file creates nothing under the data directory (with DATABASE_URL it has none).
   */
  ready(): Promise<void>;
}

/** mkdir -p of the directories, once per process. */
function once(dirs: string[]): () => Promise<void> {
  let made: Promise<void> | undefined;
  return () => {
    made ??= Promise.all(dirs.map((d) => fsp.mkdir(d, { recursive: true }))).then(() => undefined);
    made.catch(() => (made = undefined));
    return made;
  };
}

/** Files under `<data dir>/files`: one directory per key prefix, renamed into place (atomic on one file system). */
export class LocalStorage implements FileStorage {
  readonly kind = 'local' as const;
  readonly spoolDir: string;
  readonly ready: () => Promise<void>;
  constructor(private readonly root: string) {
    this.spoolDir = path.join(root, 'spool');
    this.ready = once([this.spoolDir, path.join(root, 'blobs'), path.join(root, 'thumbs')]);
  }

  pathOf(key: string): string {
    return path.join(this.root, key);
  }

  async put(key: string, localFile: string): Promise<void> {
    await this.ready();
    const target = this.pathOf(key);
    try {
      await fsp.rename(localFile, target);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EXDEV') throw error;
      await fsp.copyFile(localFile, target);
      await fsp.rm(localFile, { force: true });
    }
  }

  async read(key: string): Promise<Readable> {
    return fs.createReadStream(this.pathOf(key));
  }

  async delete(key: string): Promise<void> {
    await fsp.rm(this.pathOf(key), { force: true });
  }
}

/** The S3 SDK, loaded only when the store is S3 (it costs tens of MB of memory a local-disk server need not hold). */
const sdk = async () => {
  const [s3, storage, presigner] = await Promise.all([import('@aws-sdk/client-s3'), import('@aws-sdk/lib-storage'), import('@aws-sdk/s3-request-presigner')]);
  return { ...s3, Upload: storage.Upload, getSignedUrl: presigner.getSignedUrl };
};
type Sdk = Awaited<ReturnType<typeof sdk>>;

/** An S3-compatible bucket (AWS, MinIO, Ceph, s3rver …), shared by every server process. */
export class S3Storage implements FileStorage {
  readonly kind = 's3' as const;
  readonly client: S3Client;
  readonly ready: () => Promise<void>;
  constructor(
    private readonly options: NonNullable<Config['files']['s3']>,
    readonly spoolDir: string,
    private readonly aws: Sdk,
  ) {
    this.ready = once([spoolDir]);
    const { S3Client } = aws;
    this.client = new S3Client({
      endpoint: options.endpoint,
      region: options.region,
      forcePathStyle: options.forcePathStyle,
      credentials: options.accessKeyId && options.secretAccessKey ? { accessKeyId: options.accessKeyId, secretAccessKey: options.secretAccessKey } : undefined,
    });
  }

  async init() {
    try {
      await this.client.send(new this.aws.HeadBucketCommand({ Bucket: this.options.bucket }));
    } catch {
      // A fresh local store (development, tests) has no bucket yet; a real one refuses this and says why.
      await this.client.send(new this.aws.CreateBucketCommand({ Bucket: this.options.bucket }));
    }
  }

  async put(key: string, localFile: string, contentType: string): Promise<void> {
    // lib-storage sends a large file in parts, each read from disk as it goes: memory stays bounded.
    await new this.aws.Upload({ client: this.client, params: { Bucket: this.options.bucket, Key: key, Body: fs.createReadStream(localFile), ContentType: contentType } }).done();
    await fsp.rm(localFile, { force: true });
  }

  presignedUrl(key: string, serveAs: ServeAs, ttlSeconds: number): Promise<string> {
    return this.aws.getSignedUrl(
      this.client,
      new this.aws.GetObjectCommand({ Bucket: this.options.bucket, Key: key, ResponseContentType: serveAs.contentType, ResponseContentDisposition: serveAs.disposition }),
      { expiresIn: ttlSeconds },
    );
  }

  async read(key: string): Promise<Readable> {
    const answer = await this.client.send(new this.aws.GetObjectCommand({ Bucket: this.options.bucket, Key: key }));
    return answer.Body as Readable;
  }

  async delete(key: string): Promise<void> {
    await this.client.send(new this.aws.DeleteObjectCommand({ Bucket: this.options.bucket, Key: key }));
  }
}

/** The configured store, its directories or bucket made ready. */
export async function openFileStorage(config: Config['files']): Promise<FileStorage> {
  if (config.storage === 's3') {
    const storage = new S3Storage(config.s3!, path.join(config.dir, 'spool'), await sdk());
    await storage.init();
    return storage;
  }
  return new LocalStorage(config.dir);
}
