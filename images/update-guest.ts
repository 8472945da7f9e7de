// Puts OpsLab's own guest files into the published images without rebuilding Debian (which would pull newer
// packages): the guest agent and the `cloud` program compiled from images/guest/agent/, the files of
// images/guest/rootfs/, and, given the Debian kernel's package, the Debian image's kernel modules as
// images/add-modules.sh picks them.
// Usage: npm run vm:update-guest [-- --kernel-deb linux-image-<kernelVersion>_<version>_i386.deb] [--out DIR]
// Needs: gcc-multilib and zstd; with --kernel-deb also dpkg-deb and kmod (depmod). Then `npm run vm:snapshot`.
// NOTE: deterministic: the same sources (and compiler) give the same blobs, indexes and image ids; files get
// the owners, modes and times images/assemble.sh gives them (root, the time of the package installation).
import { execFileSync } from "node:child_process";
import { lstat, mkdir, mkdtemp, readdir, readFile, readlink, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { parseArgs } from "node:util";
import {
  BLOB_DIR,
  makeManifest,
  removeUnreferenced,
  writeBlobs,
  writeFsIndex,
  writeManifest,
} from "./image-files";
import {
  editIndex,
  renameBlobs,
  type FsIndex,
  type IndexNode,
  type TreeEntry,
} from "./rootfs-index";
import { type ImageManifest } from "../src/vm/image";

const HERE = dirname(new URL(import.meta.url).pathname);
const GUEST_ROOTFS = join(HERE, "guest/rootfs");
/** What images/guest/agent/build.sh compiles, where it puts it. */
const COMPILED_PATHS = ["usr/local/sbin/opslab-agent", "usr/local/bin/cloud"];
/** The file whose time images/assemble.sh gives every file it adds. */
const EPOCH_FILE = "var/lib/dpkg/status";

const { values: args } = parseArgs({
  options: {
    out: { type: "string", default: resolve(HERE, "../public/vm") },
    "kernel-deb": { type: "string" },
  },
});

function node(index: FsIndex, path: string): IndexNode | undefined {
  let nodes = index.fsroot;
  let found: IndexNode | undefined;
  for (const part of path.split("/")) {
    found = nodes.find(([name]) => name === part);
    if (!found) return undefined;
    nodes = Array.isArray(found[6]) ? found[6] : [];
  }
  return found;
}

/**
 * The entries of a folder, as TreeEntry paths under `prefix`, owned by root with time `epoch`. With `asGit`,
 * modes are what a git checkout holds (0755 or 0644), whatever this checkout's umask made of them.
 */
async function readTree(
  dir: string,
  prefix: string,
  epoch: number,
  asGit: boolean,
): Promise<TreeEntry[]> {
  const entries: TreeEntry[] = [];
  const walk = async (rel: string): Promise<void> => {
    for (const name of (await readdir(join(dir, rel))).sort()) {
      const path = rel ? `${rel}/${name}` : name;
      const full = join(dir, path);
      const info = await lstat(full);
      const base = { path: `${prefix}/${path}`, uid: 0, gid: 0, mtime: epoch };
      const perm = info.mode & 0o7777;
      if (info.isSymbolicLink()) {
        entries.push({ ...base, kind: "symlink", mode: 0o777, target: await readlink(full) });
      } else if (info.isDirectory()) {
        entries.push({ ...base, kind: "dir", mode: asGit ? 0o755 : perm });
        await walk(path);
      } else if (info.isFile()) {
        const mode = asGit ? (perm & 0o111 ? 0o755 : 0o644) : perm;
        entries.push({ ...base, kind: "file", mode, data: new Uint8Array(await readFile(full)) });
      }
    }
  };
  await walk("");
  return entries.map((e) => ({ ...e, path: e.path.replace(/^\/+/, "") }));
}

/** OpsLab's files as images/assemble.sh puts them in: images/guest/rootfs/ and the programs it compiles. */
async function guestEntries(work: string, epoch: number): Promise<TreeEntry[]> {
  const built = join(work, "built");
  execFileSync(join(HERE, "guest/agent/build.sh"), [built], { stdio: "inherit" });
  const programs = await Promise.all(
    COMPILED_PATHS.map(async (path): Promise<TreeEntry> => {
      const data = new Uint8Array(await readFile(join(built, path)));
      return { kind: "file", path, mode: 0o755, uid: 0, gid: 0, mtime: epoch, data };
    }),
  );
  return [...(await readTree(GUEST_ROOTFS, "", epoch, true)), ...programs];
}

/** The Debian image's module tree as images/add-modules.sh makes it from the kernel's package. */
async function moduleEntries(
  work: string,
  kernelDeb: string,
  kernelVersion: string,
  epoch: number,
): Promise<TreeEntry[]> {
  const kernel = join(work, "kernel");
  const root = join(work, "root");
  execFileSync("dpkg-deb", ["-x", kernelDeb, kernel]);
  if (!(await lstat(join(kernel, "lib/modules", kernelVersion)).catch(() => undefined))) {
    throw new Error(
      `${kernelDeb} holds no modules of kernel ${kernelVersion}: give the package of that kernel.`,
    );
  }
  execFileSync("depmod", ["-b", kernel, kernelVersion]); // as images/build.sh does to the extracted package
  // A root with only what add-modules.sh reads: dpkg's status for its time, /lib -> usr/lib for depmod.
  await mkdir(join(root, "var/lib/dpkg"), { recursive: true });
  await mkdir(join(root, "usr/lib"), { recursive: true });
  execFileSync("ln", ["-s", "usr/lib", join(root, "lib")]);
  execFileSync("touch", ["-d", `@${epoch}`, join(root, EPOCH_FILE)]);
  execFileSync(
    "bash",
    ["-c", 'umask 022 && "$@"', "bash", join(HERE, "add-modules.sh"), root, kernel, kernelVersion],
    {
      stdio: "inherit",
    },
  );
  const modules = `usr/lib/modules/${kernelVersion}`;
  return [
    { kind: "dir", path: modules, mode: 0o755, uid: 0, gid: 0, mtime: epoch },
    ...(await readTree(join(root, modules), modules, epoch, false)),
  ];
}

/** Updates one image's index and manifest; returns the new manifest. */
async function updateImage(out: string, file: string, work: string): Promise<ImageManifest> {
  const manifest = JSON.parse(await readFile(join(out, file), "utf8")) as ImageManifest;
  const served = JSON.parse(await readFile(join(out, manifest.files.fsIndex), "utf8")) as FsIndex;
  const epoch = node(served, EPOCH_FILE)?.[2];
  if (epoch === undefined) throw new Error(`${file}: its tree has no ${EPOCH_FILE}`);
  const entries = await guestEntries(work, epoch);
  const remove: string[] = [];
  const modules = `usr/lib/modules/${manifest.kernelVersion}`;
  if (node(served, modules)) {
    const kernelDeb = args["kernel-deb"];
    if (kernelDeb) {
      entries.push(...(await moduleEntries(work, kernelDeb, manifest.kernelVersion, epoch)));
      remove.push(modules);
    } else if (!node(served, `${modules}/kernel/crypto/algif_hash.ko`)) {
      throw new Error(
        `${file}: Debian's kernel has AF_ALG's hash sockets as modules (af_alg, algif_hash), which the guest ` +
          `agent needs and this image lacks: pass --kernel-deb with the package of kernel ${manifest.kernelVersion}.`,
      );
    }
  }
  const edited = editIndex(served, entries, remove);
  const names = await writeBlobs(edited.contents, join(out, BLOB_DIR));
  const updated = renameBlobs(edited.index, (blob) => names.get(blob) ?? blob);
  const fsIndex = await writeFsIndex(out, updated);
  const next = await makeManifest(out, updated, {
    kernelVersion: manifest.kernelVersion,
    kernelArgs: manifest.kernelArgs,
    files: { ...manifest.files, fsIndex },
  });
  await writeManifest(out, file, next);
  return next;
}

async function main(): Promise<void> {
  const out = resolve(args.out);
  const work = await mkdtemp(join(tmpdir(), "opslab-update-guest-"));
  try {
    const files = (await readdir(out))
      .filter((name) => /^image(-[a-z0-9]+)?\.json$/.test(name))
      .sort();
    if (files.length === 0)
      throw new Error(`no image manifest in ${out}: build the images first (images/build.sh).`);
    for (const file of files) {
      await mkdir(join(work, file));
      const before = (JSON.parse(await readFile(join(out, file), "utf8")) as ImageManifest).imageId;
      const after = await updateImage(out, file, join(work, file));
      console.log(`${file}: image ${before} -> ${after.imageId} (${after.blobCount} blobs)`);
    }
    await removeUnreferenced(out);
    console.log(
      "Now make the saved states again: npm run vm:snapshot (and -- --image image-debian.json).",
    );
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

await main();
