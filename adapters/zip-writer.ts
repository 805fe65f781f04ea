/**
 * A zip archive of whole files, stored without compression (method 0). The
 * committee pack is PDFs, which deflate barely shrinks, so a stored zip costs
 * little space and needs no dependency; every unzip tool and the operating
 * systems' built-in viewers open it. CRC-32 is node:zlib's.
 *
 * Limits (checked): no ZIP64, so fewer than 65,535 entries and under 4 GiB in
 * all; names are UTF-8 (flag bit 11), relative, without `..`.
 */
import { crc32 } from 'node:zlib';

export interface ZipEntry {
  /** A relative path inside the archive, `/` between folders. */
  name: string;
  data: Uint8Array;
}

export class ZipError extends Error {
  readonly code = 'ZIP_TOO_LARGE_OR_BAD_NAME';
  constructor(message: string) {
    super(message);
    this.name = 'ZipError';
  }
}

const MAX_32 = 0xffffffff;

/** MS-DOS date and time fields (local time as the archive's reader shows it; we write UTC). */
function dosDateTime(at: Date): { date: number; time: number } {
  const year = Math.max(1980, at.getUTCFullYear());
  return {
    date: ((year - 1980) << 9) | ((at.getUTCMonth() + 1) << 5) | at.getUTCDate(),
    time: (at.getUTCHours() << 11) | (at.getUTCMinutes() << 5) | Math.floor(at.getUTCSeconds() / 2),
  };
}

/**
 * Writes a zip entry by entry, so a pack of many PDFs never sits in memory
 * whole: `add` returns the bytes of one entry (local header and data) for
 * the caller to write out, `finish` the central directory that ends the file.
 */
export class StoredZipWriter {
  private readonly names = new Set<string>();
  private readonly centrals: Buffer[] = [];
  private offset = 0;
  private readonly date: number;
  private readonly time: number;

  constructor(at: Date) {
    ({ date: this.date, time: this.time } = dosDateTime(at));
  }

  /** The entry's bytes. @throws ZipError when the name is absolute, climbs out (`..`) or repeats, or ZIP64 would be needed. */
  add(entryName: string, data: Uint8Array): Buffer {
    if (this.names.size >= 0xfffe) throw new ZipError('too many files for a zip without ZIP64');
    if (!entryName || entryName.startsWith('/') || entryName.split('/').includes('..') || entryName.includes('\\')) throw new ZipError(`bad name in zip: ${entryName}`);
    if (this.names.has(entryName)) throw new ZipError(`the name ${entryName} appears twice`);
    this.names.add(entryName);
    const name = Buffer.from(entryName, 'utf8');
    const crc = crc32(data);
    const size = data.length;
    if (size >= MAX_32 || this.offset + 30 + name.length + size >= MAX_32) throw new ZipError('the archive would need ZIP64 (over 4 GiB)');
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4); // version needed: 2.0
    local.writeUInt16LE(0x0800, 6); // UTF-8 names
    local.writeUInt16LE(0, 8); // stored
    local.writeUInt16LE(this.time, 10);
    local.writeUInt16LE(this.date, 12);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(size, 18);
    local.writeUInt32LE(size, 22);
    local.writeUInt16LE(name.length, 26);
    local.writeUInt16LE(0, 28);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE((3 << 8) | 20, 4); // made by: Unix, 2.0 (so the mode below counts)
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(0x0800, 8);
    central.writeUInt16LE(0, 10);
    central.writeUInt16LE(this.time, 12);
    central.writeUInt16LE(this.date, 14);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(size, 20);
    central.writeUInt32LE(size, 24);
    central.writeUInt16LE(name.length, 28);
    // extra, comment, disk, internal attributes: 0
    central.writeUInt32LE((0o100600 << 16) >>> 0, 38); // a regular file, readable by its owner only
    central.writeUInt32LE(this.offset, 42);
    this.centrals.push(central, name);
    this.offset += 30 + name.length + size;
    return Buffer.concat([local, name, Buffer.from(data.buffer, data.byteOffset, data.byteLength)]);
  }

  /** The central directory and end record. @throws ZipError when ZIP64 would be needed. */
  finish(): Buffer {
    const centralSize = this.centrals.reduce((n, b) => n + b.length, 0);
    if (this.offset + centralSize >= MAX_32) throw new ZipError('the archive would need ZIP64 (over 4 GiB)');
    const end = Buffer.alloc(22);
    end.writeUInt32LE(0x06054b50, 0);
    end.writeUInt16LE(this.names.size, 8);
    end.writeUInt16LE(this.names.size, 10);
    end.writeUInt32LE(centralSize, 12);
    end.writeUInt32LE(this.offset, 16);
    return Buffer.concat([...this.centrals, end]);
  }
}

/**
 * The archive's bytes, all at once (small archives, tests).
 * @throws ZipError as StoredZipWriter.
 */
export function writeStoredZip(entries: readonly ZipEntry[], at: Date): Buffer {
  const zip = new StoredZipWriter(at);
  const parts = entries.map((e) => zip.add(e.name, e.data));
  return Buffer.concat([...parts, zip.finish()]);
}
