/**
 * In-memory COS objects (nothing touches the disk) and the COS error type shared by the COS and CI modules.
 * Memory is bounded: past COS_MAX_TOTAL_BYTES the oldest objects are evicted, as a dev box must not fill up
 * because a test uploads in a loop.
 */
import { createHash } from 'node:crypto';

export const COS_MAX_TOTAL_BYTES = 200 * 1024 * 1024;
/** Larger than any upload the server accepts (30 MB) so only CI outputs could hit it; CI's own cap is 32 MB. */
export const COS_MAX_OBJECT_BYTES = 50 * 1024 * 1024;

export interface CosObject {
  readonly bucket: string;
  readonly key: string;
  readonly body: Buffer;
  readonly contentType: string;
  /** Quoted MD5 hex, as COS prints it for simple uploads. */
  readonly etag: string;
  readonly lastModified: Date;
}

/** A COS/CI answer other than success: `<Error><Code>…` with this HTTP status. */
export class CosError extends Error {
  override readonly name = 'CosError';
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export class CosObjectStore {
  private readonly objects = new Map<string, CosObject>();
  private totalBytes = 0;

  constructor(private readonly maxTotalBytes: number = COS_MAX_TOTAL_BYTES) {}

  get(bucket: string, key: string): CosObject | undefined {
    return this.objects.get(storeKey(bucket, key));
  }

  put(bucket: string, key: string, body: Buffer, contentType: string): CosObject {
    if (body.length > COS_MAX_OBJECT_BYTES) {
      throw new CosError(400, 'EntityTooLarge', `Your proposed upload exceeds the sandbox limit of ${COS_MAX_OBJECT_BYTES} bytes.`);
    }
    const object = buildCosObject(bucket, key, body, contentType);
    this.delete(bucket, key);
    this.objects.set(storeKey(bucket, key), object);
    this.totalBytes += object.body.length;
    this.evict();
    return object;
  }

  delete(bucket: string, key: string): boolean {
    const id = storeKey(bucket, key);
    const existing = this.objects.get(id);
    if (!existing) return false;
    this.objects.delete(id);
    this.totalBytes -= existing.body.length;
    return true;
  }

  clear(): void {
    this.objects.clear();
    this.totalBytes = 0;
  }

  get size(): number {
    return this.objects.size;
  }

  get bytes(): number {
    return this.totalBytes;
  }

  /** Oldest first (Map insertion order; a rewrite moves an object to the end). */
  private evict(): void {
    for (const [id, object] of this.objects) {
      if (this.totalBytes <= this.maxTotalBytes) return;
      this.objects.delete(id);
      this.totalBytes -= object.body.length;
    }
  }
}

/** An object as it would be stored; used to process an upload before deciding to keep it. */
export function buildCosObject(bucket: string, key: string, body: Buffer, contentType: string): CosObject {
  return {
    bucket,
    key,
    // Copy so a caller reusing its buffer cannot change what we stored.
    body: Buffer.from(body),
    contentType,
    etag: `"${createHash('md5').update(body).digest('hex')}"`,
    lastModified: new Date(),
  };
}

function storeKey(bucket: string, key: string): string {
  // "/" cannot appear in a bucket name, so this cannot collide.
  return `${bucket}/${key}`;
}
