// Writing public/vm/: content-addressed blobs, the 9p index, boot files and manifests, and removing what no
// manifest names. Shared by publish.ts (a whole image from a tar) and update-guest.ts (OpsLab's own files).
import { execFileSync } from "node:child_process";
import { mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { blobNames, contentHash, type FsIndex } from "./rootfs-index";
import { IMAGE_MANIFEST_VERSION, type ImageManifest } from "../src/vm/image";

/** zstd level for blobs: slow to build once, small to download many times. */
const ZSTD_LEVEL = 19;
/** A compressed blob is kept only when it saves at least this share of the bytes. */
const MIN_COMPRESSION_SAVING = 0.05;
export const BLOB_DIR = "fs";

/** Compresses the blobs not yet in the output folder (one zstd run for all), returns hash -> file name. */
export async function writeBlobs(
  contents: Map<string, Uint8Array>,
  dir: string,
): Promise<Map<string, string>> {
  await mkdir(dir, { recursive: true });
  const existing = new Set(await readdir(dir));
  const names = new Map<string, string>();
  const staging = await mkdtemp(join(tmpdir(), "opslab-blobs-"));
  const toCompress: string[] = [];
  for (const [hash, data] of contents) {
    if (existing.has(`${hash}.zst`)) names.set(hash, `${hash}.zst`);
    else if (existing.has(hash)) names.set(hash, hash);
    else {
      await writeFile(join(staging, hash), data);
      toCompress.push(hash);
    }
  }
  for (let i = 0; i < toCompress.length; i += 500) {
    const batch = toCompress.slice(i, i + 500).map((h) => join(staging, h));
    execFileSync("zstd", ["-q", `-${ZSTD_LEVEL}`, "-T0", "-f", ...batch]);
  }
  for (const hash of toCompress) {
    const raw = contents.get(hash)?.length ?? 0;
    const packed = (await stat(join(staging, `${hash}.zst`))).size;
    const keep = packed <= raw * (1 - MIN_COMPRESSION_SAVING);
    const name = keep ? `${hash}.zst` : hash;
    await writeFile(join(dir, name), await readFile(join(staging, name)));
    names.set(hash, name);
  }
  await rm(staging, { recursive: true, force: true });
  return names;
}

/** "name version arch" for every installed package, from dpkg's status file. */
export function packageList(status: string): string {
  const lines: string[] = [];
  for (const stanza of status.split(/\n\n+/)) {
    const field = (name: string): string =>
      new RegExp(`^${name}: (.*)$`, "m").exec(stanza)?.[1]?.trim() ?? "";
    if (field("Status").endsWith("installed") && field("Package")) {
      lines.push(`${field("Package")} ${field("Version")} ${field("Architecture")}`);
    }
  }
  return lines.sort().join("\n") + "\n";
}

/** Copies a boot file to `outDir` as `<prefix>-<hash><suffix>`; returns that name. */
export async function publishFile(
  src: string,
  outDir: string,
  prefix: string,
  suffix: string,
): Promise<string> {
  const data = await readFile(src);
  const name = `${prefix}-${contentHash(data).slice(0, 16)}${suffix}`;
  await writeFile(join(outDir, name), data);
  return name;
}

/** Writes the served index (blob names as in fs/) as rootfs-<hash>.json; returns that name. */
export async function writeFsIndex(out: string, served: FsIndex): Promise<string> {
  const json = JSON.stringify(served);
  const name = `rootfs-${contentHash(Buffer.from(json)).slice(0, 16)}.json`;
  await writeFile(join(out, name), json);
  return name;
}

/** The manifest's id: a hash over the files it boots and the kernel arguments. */
export function imageId(files: ImageManifest["files"], kernelArgs: string): string {
  const { fsIndex, kernel, initrd, bios } = files;
  return contentHash(
    Buffer.from([fsIndex, kernel, initrd ?? "", bios, kernelArgs].join("\n")),
  ).slice(0, 16);
}

/** A manifest for these files, with the blob figures of its index (the blobs must be in out/fs). */
export async function makeManifest(
  out: string,
  served: FsIndex,
  fields: Pick<ImageManifest, "kernelVersion" | "kernelArgs" | "files">,
): Promise<ImageManifest> {
  const blobs = blobNames(served);
  let blobBytes = 0;
  for (const name of blobs) blobBytes += (await stat(join(out, BLOB_DIR, name))).size;
  return {
    version: IMAGE_MANIFEST_VERSION,
    imageId: imageId(fields.files, fields.kernelArgs),
    kernelVersion: fields.kernelVersion,
    kernelArgs: fields.kernelArgs,
    files: fields.files,
    blobDir: BLOB_DIR,
    blobCount: blobs.size,
    blobBytes,
    treeBytes: served.size,
  };
}

export async function writeManifest(
  out: string,
  file: string,
  manifest: ImageManifest,
): Promise<void> {
  await writeFile(join(out, file), JSON.stringify(manifest, null, 2) + "\n");
}

/**
 * Deletes the published files and blobs that no image manifest in `out` names (git history keeps them).
 * NOTE: a manifest of an image that is no longer built must be deleted first, or its files stay.
 */
export async function removeUnreferenced(out: string): Promise<void> {
  const keep = new Set<string>();
  const blobs = new Set<string>();
  for (const name of await readdir(out)) {
    if (!/^image(-[a-z0-9]+)?\.json$/.test(name)) continue;
    const manifest = JSON.parse(await readFile(join(out, name), "utf8")) as ImageManifest;
    for (const file of Object.values(manifest.files)) keep.add(file);
    const index = JSON.parse(await readFile(join(out, manifest.files.fsIndex), "utf8")) as FsIndex;
    for (const blob of blobNames(index)) blobs.add(blob);
  }
  for (const name of await readdir(out))
    if (/^(rootfs|vmlinuz|initrd|seabios|packages)-[0-9a-f]+\./.test(name) && !keep.has(name))
      await rm(join(out, name));
  for (const name of await readdir(join(out, BLOB_DIR)))
    if (!blobs.has(name)) await rm(join(out, BLOB_DIR, name));
}
