// The guest's files as the emulator's own 9p file system holds them: read from the host side, where the guest cannot lie.
import { pathParts } from "./image-tree";

const S_IFMT = 0o170000;
const S_IFDIR = 0o040000;
const S_IFREG = 0o100000;
const S_IFLNK = 0o120000;
/** v86's mark of a file whose content is still its image blob, never written since. */
const STATUS_ON_STORAGE = 2;
const ROOT_INODE = 0;

export interface GuestNode {
  kind: "dir" | "file" | "symlink" | "other";
  mode: number;
  size: number;
  /** A symlink's target. */
  target?: string;
  /** The image blob the file's content still is (never written since the image was built), if so. */
  pristineBlob?: string;
}

/** Read-only access to the guest's file tree, no symlink followed (as lstat). */
export interface GuestFileSystem {
  lookup(path: string): GuestNode | undefined;
  /** The names in a directory (no "." or ".."), or undefined when `path` is not a directory. */
  list(path: string): string[] | undefined;
  /** A regular file's whole content. */
  read(path: string): Promise<Uint8Array>;
  /** An image blob's content (the file as the image had it), by its name and size. */
  readBlob(blob: string, size: number): Promise<Uint8Array>;
}

interface Inode {
  mode: number;
  size: number;
  status: number;
  sha256sum?: string;
  symlink?: string;
  direntries?: Map<string, number>;
}

/**
 * The parts of v86 0.5.462's 9p file system (`emulator.fs9p`) read here; they are not in its types.
 * NOTE: re-check them when v86 is upgraded (src/tasks/integrity.integration.test.ts fails when they change).
 */
interface V86FileSystem {
  inodes: Inode[];
  Read(inodeId: number, offset: number, count: number): Promise<Uint8Array | null>;
  storage: {
    read(blob: string, offset: number, count: number, size: number): Promise<Uint8Array | null>;
  };
}

function isV86FileSystem(fs: unknown): fs is V86FileSystem {
  const candidate = fs as Partial<V86FileSystem> | undefined;
  return (
    Array.isArray(candidate?.inodes) &&
    typeof candidate?.Read === "function" &&
    typeof candidate.storage?.read === "function"
  );
}

function kindOf(mode: number): GuestNode["kind"] {
  switch (mode & S_IFMT) {
    case S_IFDIR:
      return "dir";
    case S_IFREG:
      return "file";
    case S_IFLNK:
      return "symlink";
    default:
      return "other";
  }
}

/** The guest's files in a v86 emulator's 9p file system; undefined when `fs9p` is not what v86 0.5.462 has. */
export function v86GuestFileSystem(fs9p: unknown): GuestFileSystem | undefined {
  if (!isV86FileSystem(fs9p)) return undefined;
  const fs = fs9p;
  const inodeAt = (path: string): number | undefined => {
    let id = ROOT_INODE;
    for (const part of pathParts(path)) {
      const inode = fs.inodes[id];
      if (!inode || kindOf(inode.mode) !== "dir") return undefined;
      const next = inode.direntries?.get(part);
      if (next === undefined) return undefined;
      id = next;
    }
    return id;
  };
  return {
    lookup(path) {
      const id = inodeAt(path);
      const inode = id === undefined ? undefined : fs.inodes[id];
      if (!inode) return undefined;
      const kind = kindOf(inode.mode);
      return {
        kind,
        mode: inode.mode,
        size: inode.size,
        ...(kind === "symlink" ? { target: inode.symlink ?? "" } : {}),
        ...(kind === "file" && inode.status === STATUS_ON_STORAGE && inode.sha256sum
          ? { pristineBlob: inode.sha256sum }
          : {}),
      };
    },
    list(path) {
      const id = inodeAt(path);
      const inode = id === undefined ? undefined : fs.inodes[id];
      if (!inode || kindOf(inode.mode) !== "dir" || !inode.direntries) return undefined;
      return [...inode.direntries.keys()].filter((name) => name !== "." && name !== "..");
    },
    async read(path) {
      const id = inodeAt(path);
      const inode = id === undefined ? undefined : fs.inodes[id];
      if (id === undefined || !inode || kindOf(inode.mode) !== "file") {
        throw new Error(`${path} is not a file in the guest`);
      }
      return (await fs.Read(id, 0, inode.size)) ?? new Uint8Array(0);
    },
    async readBlob(blob, size) {
      return (await fs.storage.read(blob, 0, size, size)) ?? new Uint8Array(0);
    },
  };
}
