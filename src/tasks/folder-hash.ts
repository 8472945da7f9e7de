// A task folder's content hash: which version of a task a run was made with, the same in Node and the page.
import { sha256 } from "@noble/hashes/sha2.js";

const encoder = new TextEncoder();

/**
 * SHA-256 (hex) over the folder's files in sorted path order: each path, a NUL, its byte length, a NUL
 * and its bytes. NOTE: files under a dot-named folder or with a dot name are left out: the page's
 * bundler does not see them, and both loaders must give the same hash.
 */
export function taskFolderHash(files: ReadonlyMap<string, Uint8Array | string>): string {
  const paths = [...files.keys()]
    .filter((path) => !path.split("/").some((part) => part.startsWith(".")))
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const hash = sha256.create();
  for (const path of paths) {
    const content = files.get(path)!;
    const bytes = typeof content === "string" ? encoder.encode(content) : content;
    hash.update(encoder.encode(`${path}\0${bytes.length}\0`));
    hash.update(bytes);
  }
  return [...hash.digest()].map((b) => b.toString(16).padStart(2, "0")).join("");
}
