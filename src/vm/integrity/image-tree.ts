// The image's file tree as its 9p index (rootfs-*.json) describes it: what each path held when it was built.

const S_IFMT = 0o170000;
const S_IFDIR = 0o040000;
const S_IFREG = 0o100000;
const S_IFLNK = 0o120000;
/** Symlinks followed while resolving one path, as the kernel's limit. */
const MAX_SYMLINKS = 40;

export type ImageNode =
  | { kind: "dir"; mode: number; children: Map<string, ImageNode> }
  | {
      kind: "file";
      mode: number;
      size: number;
      /** Its blob's name in the image's blob folder ("<hash>" or "<hash>.zst"). */
      blob: string;
      /** The content hash the blob is named by (hex; see images/rootfs-index.ts contentHash). */
      hash: string;
    }
  | { kind: "symlink"; mode: number; target: string };

export class ImageIndexError extends Error {
  constructor(detail: string) {
    super(`The image's file index cannot be read (${detail}): rebuild or re-download the image.`);
    this.name = "ImageIndexError";
  }
}

type IndexNode = [string, number, number, number, number, number, unknown];

function isIndexNode(value: unknown): value is IndexNode {
  return (
    Array.isArray(value) &&
    value.length === 7 &&
    typeof value[0] === "string" &&
    typeof value[1] === "number" &&
    typeof value[3] === "number"
  );
}

function nodeOf(raw: IndexNode, where: string): ImageNode {
  const [, size, , mode, , , content] = raw;
  switch (mode & S_IFMT) {
    case S_IFDIR: {
      if (!Array.isArray(content)) throw new ImageIndexError(`${where} has no entries`);
      const children = new Map<string, ImageNode>();
      for (const child of content) {
        if (!isIndexNode(child)) throw new ImageIndexError(`a bad entry under ${where || "/"}`);
        children.set(child[0], nodeOf(child, `${where}/${child[0]}`));
      }
      return { kind: "dir", mode, children };
    }
    case S_IFREG: {
      if (typeof content !== "string") throw new ImageIndexError(`${where} has no blob`);
      return { kind: "file", mode, size, blob: content, hash: content.replace(/\.zst$/, "") };
    }
    case S_IFLNK: {
      if (typeof content !== "string") throw new ImageIndexError(`${where} has no target`);
      return { kind: "symlink", mode, target: content };
    }
    default:
      throw new ImageIndexError(`${where} is of an unknown kind`);
  }
}

/** "/usr//bin/" -> ["usr", "bin"]. */
export function pathParts(path: string): string[] {
  return path.split("/").filter((part) => part !== "" && part !== ".");
}

export class ImageTree {
  private constructor(private readonly root: ImageNode & { kind: "dir" }) {}

  /** From the parsed JSON of a version 3 9p index ({ version, size, fsroot }). */
  static fromIndex(json: unknown): ImageTree {
    const index = json as { version?: unknown; fsroot?: unknown } | null;
    if (typeof index !== "object" || index === null || index.version !== 3) {
      throw new ImageIndexError("not a version 3 index");
    }
    if (!Array.isArray(index.fsroot)) throw new ImageIndexError("no fsroot");
    return new ImageTree(
      nodeOf(["", 0, 0, S_IFDIR | 0o755, 0, 0, index.fsroot], "") as ImageNode & {
        kind: "dir";
      },
    );
  }

  /** The node at `path` itself (a symlink is not followed, not even on the way: as lstat). */
  get(path: string): ImageNode | undefined {
    let node: ImageNode | undefined = this.root;
    for (const part of pathParts(path)) {
      if (node?.kind !== "dir") return undefined;
      node = node.children.get(part);
    }
    return node;
  }

  /**
   * The path with every symlink resolved (the kernel's way: relative targets from the link's folder),
   * or undefined when it leads nowhere in the image. "/lib/i386-linux-gnu/libc.so.6" ->
   * "/usr/lib/i386-linux-gnu/libc.so.6" on a merged-/usr image.
   */
  resolve(path: string): string | undefined {
    const pending = pathParts(path);
    const done: string[] = [];
    let links = 0;
    while (pending.length > 0) {
      const part = pending.shift()!;
      if (part === "..") {
        done.pop();
        continue;
      }
      const node = this.get(`/${[...done, part].join("/")}`);
      if (!node) return undefined;
      if (node.kind === "symlink") {
        if (++links > MAX_SYMLINKS) return undefined;
        if (node.target.startsWith("/")) done.length = 0;
        pending.unshift(...pathParts(node.target));
        continue;
      }
      done.push(part);
    }
    return `/${done.join("/")}`;
  }
}
