// npm run vm:snapshot: cold-boots the image in Node, waits for the guest agent, and saves a zstd state.
// Does nothing when the state manifest already matches the image and the v86 version (--force redoes it;
// --console shows the guest console while it boots; --image image-debian.json snapshots the stock kernel's
// image into state-debian.json, --image all does every image*.json).
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdir, readdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { parseArgs } from "node:util";
import {
  GUEST_MEMORY_BYTES,
  IMAGE_MANIFEST_FILE,
  stateManifestFileFor,
  STATE_MANIFEST_VERSION,
  V86_VERSION,
  type StateManifest,
} from "../vm/image";
import {
  DEFAULT_STATE_DIR,
  DEFAULT_VM_DIR,
  readImageManifest,
  readMatchingState,
  startNodeVm,
} from "../vm/node-vm";

/** zstd level for the state: made once, downloaded at every first visit. */
const STATE_ZSTD_LEVEL = 19;
/** A 128 MiB window finds repeats across the whole memory; v86's decoder accepts up to 2^27. */
const STATE_ZSTD_WINDOW_LOG = 27;
const PROGRESS_INTERVAL_MS = 10_000;

const { values } = parseArgs({
  options: {
    force: { type: "boolean" },
    dir: { type: "string" },
    "state-dir": { type: "string" },
    console: { type: "boolean" },
    image: { type: "string" },
  },
});
const vmDir = values.dir ?? DEFAULT_VM_DIR;
const stateDir = values["state-dir"] ?? DEFAULT_STATE_DIR;
await mkdir(stateDir, { recursive: true });

const imageFile = values.image ?? IMAGE_MANIFEST_FILE;
const stateFile = stateManifestFileFor(imageFile);
const image = await readImageManifest(vmDir, imageFile);
const existing = await readMatchingState(image, stateDir, imageFile);
if (existing && !values.force) {
  console.log(
    `vm:snapshot: ${existing.file} is up to date (image ${image.imageId}, v86 ${V86_VERSION})`,
  );
  process.exit(0);
}

console.log(`vm:snapshot: cold-booting ${imageFile} (image ${image.imageId}, about a minute)...`);
const started = Date.now();
const ticker = setInterval(
  () => console.log(`vm:snapshot: booting, ${Math.round((Date.now() - started) / 1000)} s`),
  PROGRESS_INTERVAL_MS,
);
const vm = await startNodeVm({
  vmDir,
  imageManifest: imageFile,
  cold: true,
  ...(values.console ? { onConsole: (bytes: Uint8Array) => process.stderr.write(bytes) } : {}),
}).finally(() => clearInterval(ticker));
const coldBootMs = Date.now() - started;
console.log(`vm:snapshot: guest agent ready after ${(coldBootMs / 1000).toFixed(1)} s`);

/**
 * Kept whole in the guest's page cache: every new shell and command reads them (and the page's first
 * command sets the console's size with stty). After a restore, a read that misses the page cache makes
 * v86 download the file's whole blob: 1.6 MB for these before the first prompt, while most of their
 * pages are in the state anyway, mapped by the running processes.
 */
const HOT_FILES = [
  "/usr/bin/bash",
  "/usr/bin/stty",
  "/usr/lib/i386-linux-gnu/libc.so.6",
  "/usr/lib/i386-linux-gnu/ld-linux.so.2",
  "/usr/lib/i386-linux-gnu/libtinfo.so.6",
  "/etc/ld.so.cache",
];

/**
 * Run after the caches are dropped, with the readahead of the 9p root (the only 9p mount) off, so the
 * page cache keeps exactly the pages they touch. After a restore their first run then fetches no
 * blob: python3 -c 1 fetched 8 files (8 MB in the guest, the whole python3.11 among them) and now
 * none, for 0.9 MB more state. NOTE: dig and curl too would make the state 11.9 MB, over its 10 MB
 * budget.
 */
const PAGE_CACHE_PROGRAMS = ["python3 -c 1"];

// Settle, then leave as little in memory as possible: the state holds every non-zero page.
// udevd, logind and dbus have nothing to do until something asks (their sockets and D-Bus activation
// start them again on demand). Reading a file of zeros last leaves v86's 9p reply buffer (saved in the
// state) zeroed instead of holding the last file the guest read.
const SETTLE_SCRIPT = [
  "systemctl is-system-running --wait",
  "systemctl stop systemd-udevd.service systemd-logind.service dbus.service",
  "sleep 2",
  "head -c 1048576 /dev/zero > /var/tmp/.zeros",
  "sync",
  "echo 3 > /proc/sys/vm/drop_caches",
  `cat ${HOT_FILES.join(" ")} > /dev/null`,
  "readahead=$(echo /sys/class/bdi/9p-*/read_ahead_kb); kb=$(cat $readahead); echo 0 > $readahead",
  ...PAGE_CACHE_PROGRAMS.map((program) => `${program} > /dev/null 2>&1`),
  "echo $kb > $readahead",
  "cat /var/tmp/.zeros > /dev/null",
  "rm /var/tmp/.zeros",
  "echo 1 > /proc/sys/vm/compact_memory",
].join("; ");
const settle = await vm.exec(SETTLE_SCRIPT, { timeoutMs: 120_000 });
console.log(`vm:snapshot: system ${settle.stdout.trim().split("\n")[0] || "?"}`);
const raw = new Uint8Array(await vm.saveState());
await vm.destroy();

const tmp = join(stateDir, ".state.raw");
await writeFile(tmp, raw);
execFileSync("zstd", [
  "-q",
  `-${STATE_ZSTD_LEVEL}`,
  `--long=${STATE_ZSTD_WINDOW_LOG}`,
  "-T0",
  "-f",
  "--rm",
  tmp,
  "-o",
  `${tmp}.zst`,
]);
const packed = await readFile(`${tmp}.zst`);
const file = `state-${createHash("sha256").update(packed).digest("hex").slice(0, 16)}.zst`;
await writeFile(join(stateDir, file), packed);
await rm(`${tmp}.zst`);
const manifest: StateManifest = {
  version: STATE_MANIFEST_VERSION,
  imageId: image.imageId,
  v86Version: V86_VERSION,
  memoryBytes: GUEST_MEMORY_BYTES,
  file,
  bytes: packed.length,
  coldBootMs,
};
// NOTE: written beside and renamed, so a reader (or a hard-linked copy) never sees half a manifest.
const manifestPath = join(stateDir, stateFile);
await writeFile(`${manifestPath}.tmp`, JSON.stringify(manifest, null, 2) + "\n");
await rename(`${manifestPath}.tmp`, manifestPath);
await removeUnreferencedStates();
console.log(
  `vm:snapshot: wrote ${file}: ${(raw.length / 1e6).toFixed(1)} MB raw, ${(packed.length / 1e6).toFixed(1)} MB zstd`,
);
process.exit(0);

/** Deletes the saved states that no state manifest (state.json, state-debian.json, ...) names any more. */
async function removeUnreferencedStates(): Promise<void> {
  const names = await readdir(stateDir);
  const referenced = new Set<string>();
  for (const name of names.filter((n) => /^state(-[a-z]+)?\.json$/.test(n))) {
    try {
      referenced.add(
        (JSON.parse(await readFile(join(stateDir, name), "utf8")) as StateManifest).file,
      );
    } catch {
      // an unreadable manifest keeps nothing alive
    }
  }
  for (const name of names)
    if (/^state-[0-9a-f]+\.zst$/.test(name) && !referenced.has(name))
      await rm(join(stateDir, name));
}
