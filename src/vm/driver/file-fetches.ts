// Watches v86's 9p file system for the image files whose content the guest reads for the first time.

/** A file of the image that the guest read for the first time since its emulator started. */
export interface FileFetch {
  /** The file's path in the guest, for example "/usr/bin/python3.11". */
  path: string;
  /** Its size in the guest (uncompressed). */
  bytes: number;
  /** Its content's blob in the image's blob folder. */
  blob: string;
}

/** v86's mark of a file whose content is still on the server (its blob), not in the emulator. */
const STATUS_ON_STORAGE = 2;
const ROOT_INODE = 0;

interface Inode {
  status: number;
  size: number;
  sha256sum?: string;
  direntries?: Map<string, number>;
}

/**
 * The parts of v86 0.5.462's 9p file system (`emulator.fs9p`) watched here; they are not in its types.
 * NOTE: re-check them when v86 is upgraded (warm-up.integration.test.ts fails when they change).
 */
export interface V86FileSystem {
  inodes: Inode[];
  Read(inodeId: number, offset: number, count: number): Promise<Uint8Array | null>;
}

function isV86FileSystem(fs: unknown): fs is V86FileSystem {
  const candidate = fs as Partial<V86FileSystem> | undefined;
  return Array.isArray(candidate?.inodes) && typeof candidate?.Read === "function";
}

/** Every inode's path, from the directory tree (a file with several names gets the first found). */
function inodePaths(fs: V86FileSystem): Map<number, string> {
  const paths = new Map<number, string>([[ROOT_INODE, ""]]);
  const queue = [ROOT_INODE];
  for (let id = queue.shift(); id !== undefined; id = queue.shift()) {
    const entries = fs.inodes[id]?.direntries;
    if (!entries) continue;
    for (const [name, child] of entries) {
      if (name === "." || name === ".." || paths.has(child)) continue;
      paths.set(child, `${paths.get(id) ?? ""}/${name}`);
      queue.push(child);
    }
  }
  return paths;
}

/**
 * Calls `onFetch` the first time the guest reads each image file whose content the emulator has not
 * loaded (v86 then fetches its blob whole). Returns false when `fs` is not the file system expected.
 */
export function watchFileFetches(fs: unknown, onFetch: (fetch: FileFetch) => void): boolean {
  if (!isV86FileSystem(fs)) return false;
  const read = fs.Read.bind(fs);
  const seen = new Set<number>();
  let paths: Map<number, string> | undefined;
  fs.Read = (inodeId, offset, count) => {
    const inode = fs.inodes[inodeId];
    if (inode?.status === STATUS_ON_STORAGE && inode.sha256sum && !seen.has(inodeId)) {
      seen.add(inodeId);
      if (!paths?.has(inodeId)) paths = inodePaths(fs);
      const path = paths.get(inodeId);
      if (path !== undefined) onFetch({ path, bytes: inode.size, blob: inode.sha256sum });
    }
    return read(inodeId, offset, count);
  };
  return true;
}
