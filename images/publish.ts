// Writes a built image to public/vm/: content-addressed 9p blobs, the fs index, kernel, initrd, BIOS, manifest.
// Usage: tsx images/publish.ts --rootfs T.tar --kernel K [--initrd I] --bios B --kernel-version V
//          [--kernel-args A] [--manifest image-x.json] --out DIR
// Several images share DIR (and their identical blobs); afterwards only files some image*.json names stay.
import { execFileSync } from "node:child_process";
import { createReadStream } from "node:fs";
import { mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { extract } from "tar-stream";
import {
  blobNames,
  buildRootfsIndex,
  contentHash,
  renameBlobs,
  type FsIndex,
  type TreeEntry,
} from "./rootfs-index";
import {
  IMAGE_MANIFEST_FILE,
  IMAGE_MANIFEST_VERSION,
  stateManifestFileFor,
  type ImageManifest,
} from "../src/vm/image";

/** zstd level for blobs: slow to build once, small to download many times. */
const ZSTD_LEVEL = 19;
/** A compressed blob is kept only when it saves at least this share of the bytes. */
const MIN_COMPRESSION_SAVING = 0.05;
const BLOB_DIR = "fs";

const { values: args } = parseArgs({
  options: {
    rootfs: { type: "string" },
    kernel: { type: "string" },
    initrd: { type: "string" },
    bios: { type: "string" },
    "kernel-version": { type: "string" },
    "kernel-args": { type: "string" },
    manifest: { type: "string" },
    out: { type: "string" },
  },
});

function need(name: keyof typeof args): string {
  const value = args[name];
  if (typeof value !== "string") throw new Error(`--${name} is required`);
  return value;
}

async function readTar(path: string): Promise<TreeEntry[]> {
  const entries: TreeEntry[] = [];
  const tar = extract();
  for await (const entry of createReadStream(path).pipe(tar)) {
    const h = entry.header;
    const chunks: Buffer[] = [];
    for await (const chunk of entry) chunks.push(chunk as Buffer);
    const base = {
      path: h.name,
      mode: h.mode ?? 0o644,
      uid: h.uid ?? 0,
      gid: h.gid ?? 0,
      mtime: Math.floor((h.mtime?.getTime() ?? 0) / 1000),
    };
    if (h.type === "directory") entries.push({ kind: "dir", ...base });
    else if (h.type === "file" || h.type === "contiguous-file")
      entries.push({ kind: "file", ...base, data: new Uint8Array(Buffer.concat(chunks)) });
    else if (h.type === "symlink")
      entries.push({ kind: "symlink", ...base, target: h.linkname ?? "" });
    else if (h.type === "link")
      entries.push({ kind: "hardlink", ...base, target: h.linkname ?? "" });
    // Device nodes and FIFOs are not carried: the guest mounts devtmpfs.
  }
  return entries;
}

/** Compresses the blobs not yet in the output folder (one zstd run for all), returns hash -> file name. */
async function writeBlobs(
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
function packageList(status: string): string {
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

async function publishFile(
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

/**
 * Deletes the published files and blobs that no image manifest in `out` names (git history keeps them).
 * NOTE: a manifest of an image that is no longer built must be deleted first, or its files stay.
 */
async function removeUnreferenced(out: string): Promise<void> {
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

async function main(): Promise<void> {
  const out = need("out");
  const manifestFile = args.manifest ?? IMAGE_MANIFEST_FILE;
  stateManifestFileFor(manifestFile); // refuses a name that is not an image manifest
  const kernelArgs = args["kernel-args"] ?? "";
  await mkdir(out, { recursive: true });
  const started = Date.now();
  const entries = await readTar(need("rootfs"));
  const { index, contents, files } = buildRootfsIndex(entries);
  const names = await writeBlobs(contents, join(out, BLOB_DIR));
  const served = renameBlobs(index, (hash) => names.get(hash) ?? hash);
  const indexJson = JSON.stringify(served);
  const statusHash = files.get("var/lib/dpkg/status");
  const status = statusHash ? new TextDecoder().decode(contents.get(statusHash)) : "";

  const fsIndexName = `rootfs-${contentHash(Buffer.from(indexJson)).slice(0, 16)}.json`;
  await writeFile(join(out, fsIndexName), indexJson);
  const packagesText = packageList(status);
  const packagesName = `packages-${contentHash(Buffer.from(packagesText)).slice(0, 16)}.txt`;
  await writeFile(join(out, packagesName), packagesText);
  const kernel = await publishFile(need("kernel"), out, "vmlinuz", ".bin");
  const initrd = args.initrd ? await publishFile(args.initrd, out, "initrd", ".gz") : undefined;
  const bios = await publishFile(need("bios"), out, "seabios", ".bin");

  let blobBytes = 0;
  const imageBlobs = new Set(names.values());
  for (const name of imageBlobs) blobBytes += (await stat(join(out, BLOB_DIR, name))).size;
  const manifest: ImageManifest = {
    version: IMAGE_MANIFEST_VERSION,
    imageId: contentHash(
      Buffer.from([fsIndexName, kernel, initrd ?? "", bios, kernelArgs].join("\n")),
    ).slice(0, 16),
    kernelVersion: need("kernel-version"),
    kernelArgs,
    files: {
      bios,
      kernel,
      ...(initrd ? { initrd } : {}),
      fsIndex: fsIndexName,
      packages: packagesName,
    },
    blobDir: BLOB_DIR,
    blobCount: imageBlobs.size,
    blobBytes,
    treeBytes: index.size,
  };
  await writeFile(join(out, manifestFile), JSON.stringify(manifest, null, 2) + "\n");
  await removeUnreferenced(out);
  console.log(
    `published ${manifestFile} (image ${manifest.imageId}): ${imageBlobs.size} blobs, ${(blobBytes / 1e6).toFixed(1)} MB ` +
      `(tree ${(index.size / 1e6).toFixed(1)} MB) in ${((Date.now() - started) / 1000).toFixed(1)} s`,
  );
}

await main();
