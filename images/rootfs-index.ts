// Builds v86's 9p file-system index (version 3) from the entries of a root tree, naming each file by its content.
import { createHash } from "node:crypto";

export const FS_INDEX_VERSION = 3;
/** Hex digits of SHA-256 kept in a blob's name: 128 bits, so distinct files never share a name. */
export const BLOB_HASH_HEX_DIGITS = 32;

const S_IFDIR = 0o040000;
const S_IFREG = 0o100000;
const S_IFLNK = 0o120000;
const S_IFMT = 0o170000;

interface EntryBase {
  path: string;
  mode: number;
  uid: number;
  gid: number;
  mtime: number;
}

export type TreeEntry =
  | (EntryBase & { kind: "dir" })
  | (EntryBase & { kind: "file"; data: Uint8Array })
  | (EntryBase & { kind: "symlink"; target: string })
  | (EntryBase & { kind: "hardlink"; target: string });

/** One node of the index: [name, size, mtime, mode, uid, gid, children | link target | blob name]. */
export type IndexNode = [string, number, number, number, number, number, IndexNode[] | string];

export interface FsIndex {
  version: typeof FS_INDEX_VERSION;
  size: number;
  fsroot: IndexNode[];
}

export interface RootfsIndex {
  index: FsIndex;
  /** Content of every distinct file, by its hash (the blob name without a compression suffix). */
  contents: Map<string, Uint8Array>;
  /** The hash of each regular file's path, for looking files up (for example the package list). */
  files: Map<string, string>;
}

export function contentHash(data: Uint8Array): string {
  return createHash("sha256").update(data).digest("hex").slice(0, BLOB_HASH_HEX_DIGITS);
}

/** Normalises a tar path ("./etc/", "etc//x") to "etc" and "etc/x"; the root itself becomes "". */
export function normalisePath(path: string): string {
  return path
    .split("/")
    .filter((part) => part !== "" && part !== ".")
    .join("/");
}

interface DirNode {
  node: IndexNode;
  children: Map<string, DirNode | IndexNode>;
}

/**
 * Builds the index. Hard links become copies (same blob), parent directories missing from the
 * entries are made with mode 0755, and the children of each directory are sorted by name. A file's
 * blob is named by its content hash; `renameBlobs` gives the served names.
 */
export function buildRootfsIndex(entries: Iterable<TreeEntry>): RootfsIndex {
  const root: DirNode = { node: ["", 0, 0, S_IFDIR | 0o755, 0, 0, []], children: new Map() };
  const contents = new Map<string, Uint8Array>();
  const files = new Map<string, string>();
  let totalSize = 0;

  const dirAt = (parts: string[]): DirNode => {
    let dir = root;
    for (const part of parts) {
      let next = dir.children.get(part);
      if (next === undefined || Array.isArray(next)) {
        const made: DirNode = {
          node: [part, 0, 0, S_IFDIR | 0o755, 0, 0, []],
          children: new Map(),
        };
        dir.children.set(part, made);
        next = made;
      }
      dir = next;
    }
    return dir;
  };

  const pendingLinks: Extract<TreeEntry, { kind: "hardlink" }>[] = [];
  const place = (entry: TreeEntry, node: IndexNode): void => {
    const parts = normalisePath(entry.path).split("/");
    const name = parts.pop() ?? "";
    dirAt(parts).children.set(name, node);
  };

  for (const entry of entries) {
    const path = normalisePath(entry.path);
    const perm = entry.mode & 0o7777;
    if (entry.kind === "dir") {
      if (path === "") {
        root.node[3] = S_IFDIR | perm;
        continue;
      }
      const dir = dirAt(path.split("/"));
      dir.node[1] = 0;
      dir.node[2] = entry.mtime;
      dir.node[3] = S_IFDIR | perm;
      dir.node[4] = entry.uid;
      dir.node[5] = entry.gid;
    } else if (entry.kind === "file") {
      const hash = contentHash(entry.data);
      contents.set(hash, entry.data);
      files.set(path, hash);
      totalSize += entry.data.length;
      place(entry, [
        path.split("/").pop() ?? "",
        entry.data.length,
        entry.mtime,
        S_IFREG | perm,
        entry.uid,
        entry.gid,
        hash,
      ]);
    } else if (entry.kind === "symlink") {
      place(entry, [
        path.split("/").pop() ?? "",
        entry.target.length,
        entry.mtime,
        S_IFLNK | 0o777,
        entry.uid,
        entry.gid,
        entry.target,
      ]);
    } else {
      pendingLinks.push(entry);
    }
  }

  for (const link of pendingLinks) {
    const target = normalisePath(link.target);
    const hash = files.get(target);
    if (hash === undefined) {
      throw new Error(`hard link ${link.path} points at ${link.target}, which is not a file`);
    }
    const data = contents.get(hash) ?? new Uint8Array();
    const path = normalisePath(link.path);
    files.set(path, hash);
    totalSize += data.length;
    place(link, [
      path.split("/").pop() ?? "",
      data.length,
      link.mtime,
      S_IFREG | (link.mode & 0o7777),
      link.uid,
      link.gid,
      hash,
    ]);
  }

  const finish = (dir: DirNode): IndexNode[] =>
    [...dir.children.entries()]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([, child]) => {
        if (Array.isArray(child)) return child;
        child.node[6] = finish(child);
        return child.node;
      });

  return {
    index: { version: FS_INDEX_VERSION, size: totalSize, fsroot: finish(root) },
    contents,
    files,
  };
}

/** Returns a copy of the index with each file's blob name replaced (for example "<hash>.zst"). */
export function renameBlobs(index: FsIndex, blobName: (hash: string) => string): FsIndex {
  const walk = (nodes: IndexNode[]): IndexNode[] =>
    nodes.map((node) => {
      const [name, size, mtime, mode, uid, gid, x] = node;
      if (Array.isArray(x)) return [name, size, mtime, mode, uid, gid, walk(x)];
      if ((mode & S_IFMT) === S_IFREG) return [name, size, mtime, mode, uid, gid, blobName(x)];
      return node;
    });
  return { ...index, fsroot: walk(index.fsroot) };
}

/** The blob names of every file in the index (what the index needs served). */
export function blobNames(index: FsIndex): Set<string> {
  const names = new Set<string>();
  const walk = (nodes: IndexNode[]): void => {
    for (const [, , , mode, , , x] of nodes) {
      if (Array.isArray(x)) walk(x);
      else if ((mode & S_IFMT) === S_IFREG) names.add(x);
    }
  };
  walk(index.fsroot);
  return names;
}

/** Bytes of every regular file in the index (FsIndex.size; hard links count once per name). */
export function treeBytes(index: FsIndex): number {
  let total = 0;
  const walk = (nodes: IndexNode[]): void => {
    for (const [, size, , mode, , , x] of nodes) {
      if (Array.isArray(x)) walk(x);
      else if ((mode & S_IFMT) === S_IFREG) total += size;
    }
  };
  walk(index.fsroot);
  return total;
}

/**
 * A copy of the index with `remove` (paths) taken out and then `entries` put in: a directory entry sets an
 * existing directory's mode, owners and time and keeps its children; a file or symlink replaces what was
 * there. New files are named by their content hash (rename them with `renameBlobs`), whose contents come
 * back too. Children stay sorted by name, as buildRootfsIndex sorts them.
 */
export function editIndex(
  index: FsIndex,
  entries: Iterable<TreeEntry>,
  remove: readonly string[] = [],
): { index: FsIndex; contents: Map<string, Uint8Array> } {
  const root = structuredClone(index.fsroot);
  const contents = new Map<string, Uint8Array>();
  const children = (parts: string[], make: boolean): IndexNode[] | undefined => {
    let nodes = root;
    for (const part of parts) {
      let node = nodes.find(([name]) => name === part);
      if (!node && make) {
        node = [part, 0, 0, S_IFDIR | 0o755, 0, 0, []];
        insertSorted(nodes, node);
      }
      if (!node || !Array.isArray(node[6])) return undefined;
      nodes = node[6];
    }
    return nodes;
  };
  for (const path of remove) {
    const parts = normalisePath(path).split("/");
    const name = parts.pop();
    const nodes = children(parts, false);
    const at = nodes?.findIndex(([n]) => n === name) ?? -1;
    if (nodes && at >= 0) nodes.splice(at, 1);
  }
  for (const entry of entries) {
    const parts = normalisePath(entry.path).split("/");
    const name = parts.pop() ?? "";
    const nodes = children(parts, true);
    if (!nodes || name === "") continue;
    const perm = entry.mode & 0o7777;
    const existing = nodes.find(([n]) => n === name);
    let node: IndexNode;
    if (entry.kind === "dir") {
      const kept = existing && Array.isArray(existing[6]) ? existing[6] : [];
      node = [name, 0, entry.mtime, S_IFDIR | perm, entry.uid, entry.gid, kept];
    } else if (entry.kind === "file") {
      const hash = contentHash(entry.data);
      contents.set(hash, entry.data);
      node = [name, entry.data.length, entry.mtime, S_IFREG | perm, entry.uid, entry.gid, hash];
    } else if (entry.kind === "symlink") {
      const target = entry.target;
      node = [name, target.length, entry.mtime, S_IFLNK | 0o777, entry.uid, entry.gid, target];
    } else {
      throw new Error(`editIndex does not take hard links (${entry.path})`);
    }
    if (existing) nodes.splice(nodes.indexOf(existing), 1);
    insertSorted(nodes, node);
  }
  const edited: FsIndex = { version: FS_INDEX_VERSION, size: 0, fsroot: root };
  edited.size = treeBytes(edited);
  return { index: edited, contents };
}

function insertSorted(nodes: IndexNode[], node: IndexNode): void {
  const at = nodes.findIndex(([name]) => name > node[0]);
  nodes.splice(at < 0 ? nodes.length : at, 0, node);
}
