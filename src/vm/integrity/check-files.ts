// Compares the guest's files with the image's, host-side: changed programs, shadowing ones, files that must not be.
import type { GuestFileSystem, GuestNode } from "./guest-fs";
import { pathParts, type ImageNode, type ImageTree } from "./image-tree";
import { parseLdCache } from "./ld-cache";

/** What to compare. NOTE: plain data, so it crosses to the page's VM worker as it is. */
export interface FileCheckSpec {
  /**
   * Image paths that must still be as the image has them, with everything under a folder; `only:
   * "code"` keeps to programs, shared libraries and Python sources (not units or data files).
   */
  unchanged: { path: string; only?: "code" }[];
  /**
   * Folders searched in order (a PATH, the library path): a file the image does not have in one of
   * them shadows the image's file of the same name in a later one.
   */
  searchOrders: string[][];
  /** Paths that must not exist unless the image has them; `*` stands for one path segment. */
  absent: string[];
  /** ld.so.cache files (`*` as in absent): an image library's name must load an image file. */
  ldCaches: { paths: string[]; libraryDirs: string[] };
  /**
   * Debian's alternatives (`links`: /etc/alternatives; `db`: /var/lib/dpkg/alternatives): a link there
   * may point to any choice its (unchanged) database file lists, as `update-alternatives --set` does.
   */
  alternatives?: { links: string; db: string };
  /**
   * Shell start-up files (`*` as in absent): a line the image's version lacks that defines an alias or
   * a function named like a program of the first search order, or sets a variable that changes what
   * programs load (LD_PRELOAD, BASH_ENV, ...), shadows that program or all of them.
   */
  startupFiles?: string[];
}

export type FileFindingKind = "changed" | "missing" | "replaced" | "shadows" | "unexpected";

export interface FileFinding {
  path: string;
  kind: FileFindingKind;
  /** What is wrong, in a sentence for the person reading the verdict. */
  detail: string;
  /** The content hash of the file found (changed, shadowing or unexpected files), to tell one change from another. */
  hash?: string;
}

/** Findings kept; a mass change is summed up in one more. */
export const MAX_FILE_FINDINGS = 100;

/** The hex digest the image names blobs by (images/rootfs-index.ts contentHash). */
export type ContentHash = (data: Uint8Array) => Promise<string>;

/** Variables that change what every program (or shell) loads. */
const LOADING_VARIABLES =
  /^\s*(?:export\s+)?(LD_PRELOAD|LD_AUDIT|LD_LIBRARY_PATH|BASH_ENV|ENV|PYTHONSTARTUP|PYTHONPATH|PYTHONHOME)=/;
const ALIAS = /^\s*alias\s+(?:--\s+)?([\w.+-]+)=/;
const FUNCTION = /^\s*(?:function\s+([\w.+-]+)|([\w.+-]+)\s*\(\s*\))/;

const CODE_FILE = /\.(so(\.\d+)*|py|pth|pm)$/;

function isCode(name: string, mode: number): boolean {
  return (mode & 0o111) !== 0 || CODE_FILE.test(name);
}

function describe(node: GuestNode | ImageNode): string {
  switch (node.kind) {
    case "dir":
      return "a folder";
    case "file":
      return "a file";
    case "symlink":
      return `a symlink to ${node.target}`;
    default:
      return "a special file";
  }
}

const join = (dir: string, name: string) => `${dir === "/" ? "" : dir}/${name}`;

class FileChecker {
  readonly findings: FileFinding[] = [];
  private dropped = 0;

  constructor(
    private readonly image: ImageTree,
    private readonly guest: GuestFileSystem,
    private readonly hash: ContentHash,
    private readonly alternatives?: { links: string; db: string },
  ) {}

  /** Whether `target` is a choice the alternatives database offers for the link at `path`. */
  private async isAlternative(path: string, target: string): Promise<boolean> {
    const alternatives = this.alternatives;
    const name = pathParts(path).at(-1);
    if (!alternatives || !name || join(alternatives.links, name) !== path) return false;
    const db = join(alternatives.db, name);
    const was = this.image.get(db);
    const now = this.guest.lookup(db);
    // NOTE: only the image's own database counts: the agent could add any choice to a changed one.
    if (was?.kind !== "file" || now?.kind !== "file") return false;
    if (now.pristineBlob !== was.blob && (await this.hashOf(db, now)) !== was.hash) return false;
    const text = new TextDecoder().decode(await this.guest.read(db));
    return text.split("\n").some((line) => line.trim() === target);
  }

  add(path: string, kind: FileFindingKind, detail: string, hash?: string): void {
    if (this.findings.length < MAX_FILE_FINDINGS)
      this.findings.push({ path, kind, detail, ...(hash === undefined ? {} : { hash }) });
    else this.dropped++;
  }

  /** The content hash of a guest file, or of a symlink's target text. */
  private async hashOf(path: string, node: GuestNode): Promise<string | undefined> {
    if (node.kind === "symlink") return `symlink:${node.target ?? ""}`;
    if (node.kind !== "file") return undefined;
    return node.pristineBlob?.replace(/\.zst$/, "") ?? this.hash(await this.guest.read(path));
  }

  done(): FileFinding[] {
    if (this.dropped > 0) {
      this.findings.push({
        path: "/",
        kind: "changed",
        detail: `and ${this.dropped} more files changed the same way`,
      });
    }
    return this.findings;
  }

  /** True when every folder on the way to `path` is still a folder in the guest (else says which not). */
  private ancestorsIntact(path: string): boolean {
    const parts = pathParts(path);
    for (let i = 1; i < parts.length; i++) {
      const at = `/${parts.slice(0, i).join("/")}`;
      const was = this.image.get(at);
      const now = this.guest.lookup(at);
      if (was?.kind === "dir" && now?.kind !== "dir") {
        this.add(at, "replaced", `was a folder and is now ${now ? describe(now) : "gone"}`);
        return false;
      }
    }
    return true;
  }

  async unchanged(path: string, only: "code" | undefined): Promise<void> {
    const node = this.image.get(path);
    if (!node || !this.ancestorsIntact(path)) return;
    await this.visit(path, node, only);
  }

  private async visit(path: string, was: ImageNode, only: "code" | undefined): Promise<void> {
    const name = pathParts(path).at(-1) ?? "";
    if (was.kind === "file" && only === "code" && !isCode(name, was.mode)) return;
    const now = this.guest.lookup(path);
    if (!now) {
      this.add(path, "missing", `${describe(was)} of the image is gone`);
      return;
    }
    if (now.kind !== was.kind) {
      this.add(path, "replaced", `was ${describe(was)} and is now ${describe(now)}`);
      return;
    }
    if (was.kind === "dir") {
      for (const [child, node] of was.children) await this.visit(join(path, child), node, only);
    } else if (was.kind === "symlink") {
      const target = now.target ?? "";
      if (target !== was.target && !(await this.isAlternative(path, target)))
        this.add(path, "changed", `pointed to ${was.target} and now points to ${target}`);
    } else if (was.kind === "file" && now.pristineBlob !== was.blob) {
      const hash = await this.hashOf(path, now);
      if (hash !== was.hash) {
        this.add(
          path,
          "changed",
          `its content is not the image's (${now.size} bytes, the image's has ${was.size})`,
          hash,
        );
      }
    }
  }

  async shadows(order: readonly string[]): Promise<void> {
    for (const [i, dir] of order.entries()) {
      for (const name of this.guest.list(dir) ?? []) {
        const path = join(dir, name);
        if (this.image.get(path)) continue;
        const now = this.guest.lookup(path);
        if (now?.kind !== "file" && now?.kind !== "symlink") continue;
        const shadowed = order
          .slice(i + 1)
          .map((later) => join(later, name))
          .find((p) => this.image.get(p));
        if (!shadowed) continue;
        if (now.kind === "symlink") {
          const target = now.target?.startsWith("/") ? now.target : join(dir, now.target ?? "");
          // A link to the very program it stands before is harmless.
          if (this.image.resolve(target) === this.image.resolve(shadowed)) continue;
        }
        this.add(
          path,
          "shadows",
          `is not in the image and comes before ${shadowed}`,
          await this.hashOf(path, now),
        );
      }
    }
  }

  /** Existing guest paths matching a pattern whose `*` parts stand for one path segment. */
  expand(pattern: string): string[] {
    let paths = ["/"];
    for (const part of pathParts(pattern)) {
      paths = paths.flatMap((dir) =>
        part === "*"
          ? (this.guest.list(dir) ?? []).map((name) => join(dir, name))
          : this.guest.lookup(join(dir, part))
            ? [join(dir, part)]
            : [],
      );
    }
    return paths.filter((p) => p !== "/");
  }

  async absent(pattern: string): Promise<void> {
    for (const path of this.expand(pattern)) {
      const now = this.guest.lookup(path);
      if (this.image.get(path) || !now) continue;
      this.add(
        path,
        "unexpected",
        "exists, and the image has no such file",
        await this.hashOf(path, now),
      );
    }
  }

  /** Lines of a start-up file that make a program of `programDirs` (or every one) run something else. */
  async startupFile(path: string, programDirs: readonly string[]): Promise<void> {
    const now = this.guest.lookup(path);
    if (now?.kind !== "file") return;
    const was = this.image.get(path);
    if (was?.kind === "file" && now.pristineBlob === was.blob) return;
    const decode = (data: Uint8Array) => new TextDecoder().decode(data).split("\n");
    const before = new Set(
      was?.kind === "file" ? decode(await this.guest.readBlob(was.blob, was.size)) : [],
    );
    const lines = decode(await this.guest.read(path)).filter((line) => !before.has(line));
    for (const line of lines) {
      const variable = LOADING_VARIABLES.exec(line)?.[1];
      if (variable) {
        this.add(
          path,
          "shadows",
          `sets ${variable}, which changes what programs load: ${line.trim()}`,
        );
        continue;
      }
      const name = ALIAS.exec(line)?.[1] ?? FUNCTION.exec(line)?.slice(1).find(Boolean);
      const program = name && programDirs.map((d) => join(d, name)).find((p) => this.image.get(p));
      if (program) {
        this.add(
          path,
          "shadows",
          `defines ${name} in the shell, standing before ${program}: ${line.trim()}`,
        );
      }
    }
  }

  async ldCache(path: string, libraryDirs: readonly string[]): Promise<void> {
    if (this.guest.lookup(path)?.kind !== "file") return;
    let entries;
    try {
      entries = parseLdCache(await this.guest.read(path));
    } catch {
      return; // NOTE: the loader ignores a cache it cannot read, and searches the image's folders
    }
    const imageLibraries = new Map<string, string>();
    for (const dir of libraryDirs) {
      const node = this.image.get(dir);
      if (node?.kind !== "dir") continue;
      for (const name of node.children.keys())
        if (!imageLibraries.has(name)) imageLibraries.set(name, join(dir, name));
    }
    for (const entry of entries) {
      const own = imageLibraries.get(entry.name);
      if (own && this.image.resolve(entry.path) === undefined) {
        this.add(
          path,
          "shadows",
          `loads ${entry.name} from ${entry.path}, not the image's ${own}`,
          `${entry.name}:${entry.path}`,
        );
      }
    }
  }
}

/**
 * Compares the guest's files with the image's as `spec` says. The guest cannot hide a change from
 * this: it reads the emulator's file system. NOTE: flush the guest's page cache first (sync), or a
 * write still in it is not seen.
 */
export async function checkFiles(
  image: ImageTree,
  guest: GuestFileSystem,
  spec: FileCheckSpec,
  hash: ContentHash,
): Promise<FileFinding[]> {
  const checker = new FileChecker(image, guest, hash, spec.alternatives);
  for (const { path, only } of spec.unchanged) await checker.unchanged(path, only);
  for (const order of spec.searchOrders) await checker.shadows(order);
  for (const pattern of spec.absent) await checker.absent(pattern);
  for (const pattern of spec.startupFiles ?? []) {
    for (const path of checker.expand(pattern))
      await checker.startupFile(path, spec.searchOrders[0] ?? []);
  }
  for (const pattern of spec.ldCaches.paths) {
    for (const path of checker.expand(pattern))
      await checker.ldCache(path, spec.ldCaches.libraryDirs);
  }
  return checker.done();
}

/** SHA-256 in hex, cut to the image's blob names (images/rootfs-index.ts BLOB_HASH_HEX_DIGITS). */
export async function imageContentHash(data: Uint8Array): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", data as BufferSource));
  return [...digest.subarray(0, 16)].map((b) => b.toString(16).padStart(2, "0")).join("");
}
