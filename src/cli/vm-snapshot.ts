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
} from "../vm/driver/node-vm";
import { WARM_PAGE_CACHE_SCRIPT } from "../vm/state/page-cache";

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
  WARM_PAGE_CACHE_SCRIPT,
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
