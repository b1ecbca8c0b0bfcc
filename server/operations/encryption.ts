/**
 * Encrypted archives: AES-256-GCM in chunks, so that an archive of any size streams through a
 * bounded buffer and a truncated, reordered or altered file is refused rather than half-read.
 *
 * Format (all integers big-endian), documented in docs/admin-guide.md with a decryptor that needs
 * no Huitong:
 *   header  = "HTGCM001" (8 bytes) || nonce prefix (8 random bytes)
 *   chunk_i = length (4 bytes: bit 31 set on the last chunk, bits 0-30 the plaintext length)
 *             || ciphertext || 16-byte GCM tag
 *   nonce_i = nonce prefix || i (4 bytes);  additional data_i = header || length field of chunk_i
 * The last chunk (possibly empty) carries the flag: a file cut after any chunk lacks it.
 */
import { Transform, type TransformCallback } from 'node:stream';
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

export const ENCRYPTION_MAGIC = Buffer.from('HTGCM001', 'ascii');
const HEADER_BYTES = 16;
const CHUNK_BYTES = 1 << 20;
const LAST = 0x80000000;

export class ArchiveProblem extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ArchiveProblem';
  }
}

function seal(key: Buffer, header: Buffer, index: number, plain: Buffer, last: boolean): Buffer {
  const lengthField = Buffer.alloc(4);
  lengthField.writeUInt32BE((plain.length | (last ? LAST : 0)) >>> 0);
  const nonce = Buffer.concat([header.subarray(8, 16), uint32(index)]);
  const cipher = createCipheriv('aes-256-gcm', key, nonce);
  cipher.setAAD(Buffer.concat([header, lengthField]));
  const body = Buffer.concat([cipher.update(plain), cipher.final()]);
  return Buffer.concat([lengthField, body, cipher.getAuthTag()]);
}

const uint32 = (n: number) => {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(n >>> 0);
  return b;
};

/** Encrypts a byte stream into the chunked format above. */
export function encryptStream(key: Buffer): Transform {
  const header = Buffer.concat([ENCRYPTION_MAGIC, randomBytes(8)]);
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  let index = 0;
  let headerSent = false;
  return new Transform({
    transform(chunk: Buffer, _encoding, callback: TransformCallback) {
      if (!headerSent) {
        this.push(header);
        headerSent = true;
      }
      pending.push(chunk);
      pendingBytes += chunk.length;
      if (pendingBytes > CHUNK_BYTES) {
        let all = Buffer.concat(pending);
        // The last chunk is sealed in flush(), so at least one byte stays behind for it only when the input ends exactly here.
        while (all.length > CHUNK_BYTES) {
          this.push(seal(key, header, index++, all.subarray(0, CHUNK_BYTES), false));
          all = all.subarray(CHUNK_BYTES);
        }
        pending = [all];
        pendingBytes = all.length;
      }
      callback();
    },
    flush(callback: TransformCallback) {
      if (!headerSent) this.push(header);
      this.push(seal(key, header, index++, Buffer.concat(pending), true));
      callback();
    },
  });
}

/** Decrypts the chunked format; fails on a wrong key, an altered byte, a missing last chunk or data after it. */
export function decryptStream(key: Buffer | undefined): Transform {
  let buffered: Buffer = Buffer.alloc(0);
  let header: Buffer | null = null;
  let index = 0;
  let done = false;
  return new Transform({
    transform(chunk: Buffer, _encoding, callback: TransformCallback) {
      buffered = buffered.length ? Buffer.concat([buffered, chunk]) : chunk;
      try {
        for (;;) {
          if (!header) {
            if (buffered.length < HEADER_BYTES) break;
            header = buffered.subarray(0, HEADER_BYTES);
            if (!header.subarray(0, 8).equals(ENCRYPTION_MAGIC)) throw new ArchiveProblem('not an encrypted Huitong archive');
            if (!key) throw new ArchiveProblem('the archive is encrypted: set BACKUP_KEY to the key it was made with');
            buffered = buffered.subarray(HEADER_BYTES);
            continue;
          }
          if (buffered.length < 4) break;
          if (done) throw new ArchiveProblem('the archive has data after its last encrypted chunk: it is damaged');
          const field = buffered.readUInt32BE(0);
          const length = field & ~LAST;
          if (length > CHUNK_BYTES) throw new ArchiveProblem('the archive is damaged (an encrypted chunk has an impossible length)');
          if (buffered.length < 4 + length + 16) break;
          const nonce = Buffer.concat([header.subarray(8, 16), uint32(index)]);
          const decipher = createDecipheriv('aes-256-gcm', key!, nonce);
          decipher.setAAD(Buffer.concat([header, buffered.subarray(0, 4)]));
          decipher.setAuthTag(buffered.subarray(4 + length, 4 + length + 16));
          let plain: Buffer;
          try {
            plain = Buffer.concat([decipher.update(buffered.subarray(4, 4 + length)), decipher.final()]);
          } catch {
            throw new ArchiveProblem(index === 0 ? 'cannot decrypt the archive: wrong BACKUP_KEY, or the archive is damaged' : `the archive is damaged (encrypted chunk ${index} fails its check)`);
          }
          this.push(plain);
          index++;
          done = (field & LAST) !== 0;
          buffered = buffered.subarray(4 + length + 16);
        }
        callback();
      } catch (error) {
        callback(error as Error);
      }
    },
    flush(callback: TransformCallback) {
      if (!done || buffered.length) return callback(new ArchiveProblem('the archive is truncated (its last encrypted chunk is missing)'));
      callback();
    },
  });
}
