// Writes a built image to public/vm/: content-addressed 9p blobs, the fs index, kernel, initrd, BIOS, manifest.
// Usage: tsx images/publish.ts --rootfs T.tar --kernel K [--initrd I] --bios B --kernel-version V
//          [--kernel-args A] [--manifest image-x.json] --out DIR
// Several images share DIR (and their identical blobs); afterwards only files some image*.json names stay.
import { createReadStream } from "node:fs";
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { extract } from "tar-stream";
import {
  BLOB_DIR,
  makeManifest,
  packageList,
  publishFile,
  removeUnreferenced,
  writeBlobs,
  writeFsIndex,
  writeManifest,
} from "./image-files";
import { buildRootfsIndex, contentHash, renameBlobs, type TreeEntry } from "./rootfs-index";
import { IMAGE_MANIFEST_FILE, stateManifestFileFor } from "../src/vm/image";

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
  const statusHash = files.get("var/lib/dpkg/status");
  const status = statusHash ? new TextDecoder().decode(contents.get(statusHash)) : "";

  const fsIndexName = await writeFsIndex(out, served);
  const packagesText = packageList(status);
  const packagesName = `packages-${contentHash(Buffer.from(packagesText)).slice(0, 16)}.txt`;
  await writeFile(join(out, packagesName), packagesText);
  const kernel = await publishFile(need("kernel"), out, "vmlinuz", ".bin");
  const initrd = args.initrd ? await publishFile(args.initrd, out, "initrd", ".gz") : undefined;
  const bios = await publishFile(need("bios"), out, "seabios", ".bin");
  const manifest = await makeManifest(out, served, {
    kernelVersion: need("kernel-version"),
    kernelArgs,
    files: {
      bios,
      kernel,
      ...(initrd ? { initrd } : {}),
      fsIndex: fsIndexName,
      packages: packagesName,
    },
  });
  await writeManifest(out, manifestFile, manifest);
  await removeUnreferenced(out);
  console.log(
    `published ${manifestFile} (image ${manifest.imageId}): ${manifest.blobCount} blobs, ${(manifest.blobBytes / 1e6).toFixed(1)} MB ` +
      `(tree ${(index.size / 1e6).toFixed(1)} MB) in ${((Date.now() - started) / 1000).toFixed(1)} s`,
  );
}

await main();
