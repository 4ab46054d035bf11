import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream, type ReadStream } from 'node:fs';
import { access, mkdir, open, readdir, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { type Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { uuidv7 } from 'uuidv7';

/** How many leading bytes are kept for content sniffing (file-type reads at most 4100). */
const HEAD_BYTES = 4100;
const SHA256 = /^[0-9a-f]{64}$/;

/** Raised while receiving when the stream goes over the size limit; nothing is kept. */
export class FileTooLargeError extends Error {
  constructor(readonly limit: number) {
    super(`file larger than ${limit} bytes`);
  }
}

/** A fully received upload, not yet kept: its bytes sit in a temporary file. */
export interface ReceivedFile {
  tempPath: string;
  sha256: string;
  size: number;
  /** The first bytes, for content sniffing. */
  head: Buffer;
}

async function fsyncPath(target: string, flags: 'r' | 'r+' = 'r') {
  let handle: Awaited<ReturnType<typeof open>> | undefined;
  try {
    handle = await open(target, flags);
    await handle.sync();
  } catch (err) {
    // Folders cannot be opened or synced on some platforms (Windows); the rename is still atomic.
    const code = (err as NodeJS.ErrnoException).code;
    if (!(code === 'EISDIR' || code === 'EPERM' || code === 'EINVAL' || code === 'EACCES')) throw err;
  } finally {
    await handle?.close();
  }
}

/**
 * Attachment bytes on local disk, content-addressed: a file is stored once under its sha256
 * (`ab/cd/abcd…`), whatever its name and however many records it is attached to. A file is
 * written to `tmp/`, fsync'd and renamed into place, so a stored path is always complete. The
 * client's file name never becomes part of a path.
 */
export class FileStore {
  constructor(readonly dir: string) {}

  private get tmpDir() {
    return path.join(this.dir, 'tmp');
  }

  pathOf(sha256: string): string {
    if (!SHA256.test(sha256)) throw new Error('not a sha256');
    return path.join(this.dir, sha256.slice(0, 2), sha256.slice(2, 4), sha256);
  }

  /**
   * Streams an upload into a temporary file while hashing and counting it; over `maxBytes` the
   * stream is abandoned, the temporary file removed and FileTooLargeError thrown.
   */
  async receive(source: Readable, maxBytes: number): Promise<ReceivedFile> {
    await mkdir(this.tmpDir, { recursive: true });
    const tempPath = path.join(this.tmpDir, `${uuidv7()}.part`);
    const hash = createHash('sha256');
    const headChunks: Buffer[] = [];
    let headLength = 0;
    let size = 0;
    const meter = new Transform({
      transform(chunk: Buffer, _enc, done) {
        size += chunk.length;
        if (size > maxBytes) return done(new FileTooLargeError(maxBytes));
        hash.update(chunk);
        if (headLength < HEAD_BYTES) {
          const part = chunk.subarray(0, HEAD_BYTES - headLength);
          headChunks.push(part);
          headLength += part.length;
        }
        done(null, chunk);
      },
    });
    try {
      await pipeline(source, meter, createWriteStream(tempPath, { flags: 'wx' }));
      await fsyncPath(tempPath, 'r+');
    } catch (err) {
      await rm(tempPath, { force: true });
      throw err;
    }
    return { tempPath, sha256: hash.digest('hex'), size, head: Buffer.concat(headChunks) };
  }

  /** Moves a received file to its content address; identical bytes already stored are reused. */
  async keep(file: ReceivedFile): Promise<void> {
    const target = this.pathOf(file.sha256);
    if (await this.has(file.sha256)) {
      await rm(file.tempPath, { force: true });
      return;
    }
    await mkdir(path.dirname(target), { recursive: true });
    await rename(file.tempPath, target);
    await fsyncPath(path.dirname(target));
  }

  async discard(file: ReceivedFile): Promise<void> {
    await rm(file.tempPath, { force: true });
  }

  async has(sha256: string): Promise<boolean> {
    try {
      await access(this.pathOf(sha256));
      return true;
    } catch {
      return false;
    }
  }

  /** The stored bytes; undefined when the file is missing on disk (e.g. not restored from backup). */
  async open(sha256: string): Promise<{ stream: ReadStream; size: number } | undefined> {
    const file = this.pathOf(sha256);
    try {
      const { size } = await stat(file);
      return { stream: createReadStream(file), size };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw err;
    }
  }

  /** Temporary files left by a crash mid-upload; removed when older than `olderThanMs`. */
  async sweepTemp(olderThanMs = 24 * 3600_000): Promise<number> {
    let names: string[];
    try {
      names = await readdir(this.tmpDir);
    } catch {
      return 0;
    }
    let removed = 0;
    for (const name of names) {
      const file = path.join(this.tmpDir, name);
      const info = await stat(file).catch(() => undefined);
      if (info && Date.now() - info.mtimeMs > olderThanMs) {
        await rm(file, { force: true });
        removed++;
      }
    }
    return removed;
  }
}
