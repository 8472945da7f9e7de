// Reads glibc's /etc/ld.so.cache (the "glibc-ld.so.cache1.1" format ldconfig writes): which file each library name loads.

const MAGIC = "glibc-ld.so.cache1.1";
/** magic (20) + nlibs + len_strings (4 each) + flags (1) + padding (3) + extension offset (4) + unused (12). */
const HEADER_BYTES = 48;
/** flags (int32), key, value, osversion (uint32 each), hwcap (uint64). */
const ENTRY_BYTES = 24;

export interface LdCacheEntry {
  /** The library's name as programs ask for it ("libc.so.6"). */
  name: string;
  /** The file the loader opens for it. */
  path: string;
}

export class LdCacheFormatError extends Error {
  constructor(detail: string) {
    super(`not a glibc ld.so.cache (${detail})`);
    this.name = "LdCacheFormatError";
  }
}

function stringAt(bytes: Uint8Array, offset: number): string {
  if (offset >= bytes.length) throw new LdCacheFormatError(`a name points past the end`);
  let end = offset;
  while (end < bytes.length && bytes[end] !== 0) end++;
  if (end === bytes.length) throw new LdCacheFormatError(`a name does not end`);
  return new TextDecoder().decode(bytes.subarray(offset, end));
}

/** Every entry of the cache, in its order (the loader takes the first that fits). */
export function parseLdCache(bytes: Uint8Array): LdCacheEntry[] {
  if (bytes.length < HEADER_BYTES) throw new LdCacheFormatError("too short");
  const magic = new TextDecoder().decode(bytes.subarray(0, MAGIC.length));
  if (magic !== MAGIC) throw new LdCacheFormatError(`magic ${JSON.stringify(magic)}`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const count = view.getUint32(MAGIC.length, true);
  if (HEADER_BYTES + count * ENTRY_BYTES > bytes.length) {
    throw new LdCacheFormatError(`${count} entries do not fit in ${bytes.length} bytes`);
  }
  const entries: LdCacheEntry[] = [];
  for (let i = 0; i < count; i++) {
    const at = HEADER_BYTES + i * ENTRY_BYTES;
    // NOTE: in the new format alone, string offsets count from the start of the file.
    entries.push({
      name: stringAt(bytes, view.getUint32(at + 4, true)),
      path: stringAt(bytes, view.getUint32(at + 8, true)),
    });
  }
  return entries;
}
