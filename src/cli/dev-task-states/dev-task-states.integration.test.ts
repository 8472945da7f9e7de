// Integration: npm run dev's server builds a task's state on demand in Node (its own process and VM) and serves it as the build ships it; asked again, from its cache.
import { mkdtemp, readFile, rm } from "node:fs/promises";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { createServer, type ViteDevServer } from "vite";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadTaskFolder } from "../../tasks/node-loader";
import { onDemandManifest, OnDemandStateError } from "../../tasks/on-demand-states";
import {
  SHIPPED_MANIFEST_FILE,
  sha256Hex,
  ShippedTaskStates,
  type ShippedStatesSource,
} from "../../tasks/shipped-states";
import { taskStateKey } from "../../tasks/task-state";
import { unzstdPatch } from "../../vm/state/base-state";
import { rebuildState } from "../../vm/state/rebuild";
import { V86_VERSION } from "../../vm/image";
import { readImageManifest } from "../../vm/driver/node-vm";
import { readBaseState } from "../task-state-shipping";
import { devTaskStates } from "./plugin";

const REPO_DIR = resolve(import.meta.dirname, "../../..");
/** The task whose setup is quickest (a file, a site, nginx restarted). */
const TASK_DIR = join(REPO_DIR, "tasks/sysadmin/nginx-wont-start");
/** Asked again quicker than the page does, so the timings are close. */
const POLL_MS = 250;
const BUILD_TIMEOUT_MS = 400_000;

let server: ViteDevServer;
let dir: string;
let origin: string;
let key: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "dev-task-states-"));
  server = await createServer({
    configFile: false,
    root: REPO_DIR,
    logLevel: "silent",
    server: { host: "127.0.0.1", port: 0, strictPort: false },
    plugins: [
      devTaskStates({ cacheDir: join(dir, "task-states"), patchDir: join(dir, "patches") }),
    ],
  });
  await server.listen();
  origin = `http://127.0.0.1:${(server.httpServer!.address() as AddressInfo).port}`;
  const { imageId } = await readImageManifest();
  key = await taskStateKey(await loadTaskFolder(TASK_DIR), { imageId, v86Version: V86_VERSION });
});

afterAll(async () => {
  await server?.close();
  await rm(dir, { recursive: true, force: true });
});

/** The page's source of shipped states, as services.ts makes it in npm run dev, over fetch. */
function pageSource(): ShippedStatesSource {
  const dir = `${origin}/task-states/`;
  return {
    async manifest() {
      const response = await fetch(dir + SHIPPED_MANIFEST_FILE);
      return response.ok ? response.json() : undefined;
    },
    manifestFor: (key, onBuilding, signal) =>
      onDemandManifest(
        async (k) => {
          const response = await fetch(`${dir}${SHIPPED_MANIFEST_FILE}?key=${k}`);
          return { status: response.status, json: await response.json() };
        },
        key,
        onBuilding,
        signal,
        POLL_MS,
      ),
    async file(name) {
      const response = await fetch(dir + name);
      if (!response.ok) throw new Error(`${name}: HTTP ${response.status}`);
      return new Uint8Array(await response.arrayBuffer());
    },
    baseFile: async () => (await readBaseState()).file,
    rebuild: async (packed) => rebuildState((await readBaseState()).raw, packed, unzstdPatch),
  };
}

describe("npm run dev's task states", () => {
  it(
    "builds a task's state on demand, serves it, and serves it again from the cache",
    async () => {
      const building: number[] = [];
      let started = Date.now();
      const built = await new ShippedTaskStates(pageSource()).get(key, undefined, {
        onBuilding: ({ ahead }) => building.push(ahead),
      });
      const buildMs = Date.now() - started;
      expect(built).toBeDefined();
      expect(building.length).toBeGreaterThan(0);
      expect(building.every((ahead) => ahead === 0)).toBe(true);
      // The state rebuilt in the page is the one set up in Node and kept in the cache.
      const kept = new Uint8Array(await readFile(join(dir, "task-states", `${key}.state`)));
      expect(await sha256Hex(new Uint8Array(built!.state))).toBe(await sha256Hex(kept));

      started = Date.now();
      const again = await new ShippedTaskStates(pageSource()).get(key, undefined, {
        onBuilding: () => building.push(-1),
      });
      const hitMs = Date.now() - started;
      expect(again?.downloadedBytes).toBe(built!.downloadedBytes);
      expect(building).not.toContain(-1);
      // A built site's manifest lists it too, now that it is made.
      const manifest = (await (await fetch(`${origin}/task-states/manifest.json`)).json()) as {
        states: Record<string, unknown>;
      };
      expect(Object.keys(manifest.states)).toEqual([key]);
      console.info(
        `dev task state of nginx-wont-start: built on demand in ${(buildMs / 1000).toFixed(1)} s, ` +
          `${(built!.downloadedBytes / 1e6).toFixed(2)} MB; from the cache in ${hitMs} ms`,
      );
    },
    BUILD_TIMEOUT_MS,
  );

  it("says why when the page's task is not the one on disk, so the page sets it up itself", async () => {
    const stale = key.replace(/-[0-9a-f]{32}-/, `-${"0".repeat(32)}-`);
    await expect(new ShippedTaskStates(pageSource()).get(stale)).rejects.toThrow(
      OnDemandStateError,
    );
    await expect(new ShippedTaskStates(pageSource()).get(stale)).rejects.toThrow(/reload the page/);
  });
});
