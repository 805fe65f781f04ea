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
 * The archive's bytes.
 * @throws ZipError when a name is absolute, climbs out (`..`) or repeats, or the archive would need ZIP64.
 */
export function writeStoredZip(entries: readonly ZipEntry[], at: Date): Buffer {
  if (entries.length >= 0xffff) throw new ZipError('too many files for a zip without ZIP64');
  const { date, time } = dosDateTime(at);
  const names = new Set<string>();
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const e of entries) {
    if (!e.name || e.name.startsWith('/') || e.name.split('/').includes('..') || e.name.includes('\\')) throw new ZipError(`bad name in zip: ${e.name}`);
    if (names.has(e.name)) throw new ZipError(`the name ${e.name} appears twice`);
    names.add(e.name);
    const name = Buffer.from(e.name, 'utf8');
    const crc = crc32(e.data);
    const size = e.data.length;
    if (size >= MAX_32 || offset >= MAX_32) throw new ZipError('the archive would need ZIP64 (over 4 GiB)');
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4); // version needed: 2.0
    local.writeUInt16LE(0x0800, 6); // UTF-8 names
    local.writeUInt16LE(0, 8); // stored
    local.writeUInt16LE(time, 10);
    local.writeUInt16LE(date, 12);
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
    central.writeUInt16LE(time, 12);
    central.writeUInt16LE(date, 14);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(size, 20);
    central.writeUInt32LE(size, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt16LE(0, 30); // extra
    central.writeUInt16LE(0, 32); // comment
    central.writeUInt16LE(0, 34); // disk
    central.writeUInt16LE(0, 36); // internal attributes
    central.writeUInt32LE((0o100600 << 16) >>> 0, 38); // a regular file, readable by its owner only
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, Buffer.from(e.data.buffer, e.data.byteOffset, e.data.byteLength));
    centrals.push(central, name);
    offset += 30 + name.length + size;
  }
  const centralSize = centrals.reduce((n, b) => n + b.length, 0);
  if (offset + centralSize >= MAX_32) throw new ZipError('the archive would need ZIP64 (over 4 GiB)');
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(centralSize, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, ...centrals, end]);
}
