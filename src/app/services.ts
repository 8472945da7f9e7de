// createServices(): the real adapters of the page wired into the stores (VM, tasks, settings, runs).
import type { RunLimits } from "../domain/run";
import type { TaskBundle } from "../domain/task";
import type { StoreApi } from "zustand/vanilla";
import { createOracleClient } from "../agent/oracle";
import { createCatalogueStore } from "../state/catalogue-store";
import { createForkStore, forkIsBusy } from "../state/fork-store";
import { createHistoryStore, type StorageSpacePort } from "../state/history-store";
import { createShareStore } from "../state/share-store";
import { createCompareStore } from "../state/compare-store";
import { ComparisonRepository } from "../storage/comparison-db";
import { createRunStore, runIsBusy, type RunServices } from "../state/run-store";
import {
  createSuiteStore,
  runItemsThrough,
  suiteIsBusy,
  type SuiteState,
} from "../state/suite-store";
import { createSettingsStore, type KeyValueStorage } from "../state/settings-store";
import { createVerifyStore, verifyIsBusy } from "../state/verify-store";
import { createExplainStore, explainIsBusy } from "../state/explain-store";
import { createVmStore } from "../state/vm-store";
import { openRunRepository, RUN_DB_NAME, type RunRepository } from "../storage/run-db";
import { holdRunLock, runLockHeld } from "../storage/run-locks";
import { IdbTaskStateCache } from "../storage/task-state-db";
import { limitsForTask, runTaskWithAgent } from "../tasks/agent-run";
import { forkRun } from "../tasks/fork-run";
import { catalogueFromFiles } from "../tasks/task-files";
import { verifyRun } from "../tasks/verify-run";
import { explainRun } from "../tasks/explain-run";
import type { ForkState } from "../state/fork-store";
import { SHIPPED_MANIFEST_FILE, ShippedTaskStates } from "../tasks/shipped-states";
import { onDemandManifest } from "../tasks/on-demand-states";
import { taskStateKey, type ReadyTaskOptions } from "../tasks/task-state";
import { prefetchChosen, prefetchOnSelect, type TaskPrefetchPorts } from "../state/task-prefetch";
import { StateRebuilder } from "../vm/state/rebuild-client";
import type { AppStores } from "../ui/App";
import { IMAGE_MANIFEST_FILE, V86_VERSION, type ImageManifest } from "../vm/image";
import { WorkerVm } from "../vm/browser/worker-vm";

/**
 * Where v86 runs: "worker" (off the main thread) or "main". `?vm=main` or `?vm=worker` in the
 * page's URL overrides it, for measuring both (npm run bench:browser).
 */
const DEFAULT_VM_THREAD: "worker" | "main" = "worker";

function vmThread(): "worker" | "main" {
  const asked = new URLSearchParams(location.search).get("vm");
  return asked === "main" || asked === "worker" ? asked : DEFAULT_VM_THREAD;
}

/** ?image=debian boots public/vm/image-debian.json (the stock kernel, for comparisons) instead of image.json. */
function vmImageManifest(): string | undefined {
  const asked = new URLSearchParams(location.search).get("image");
  return asked && /^[a-z0-9]+$/.test(asked) ? `image-${asked}.json` : undefined;
}

/** A URL parameter of the page that turns one of its defaults off, for measuring without it. */
function urlSays(name: string, value: string): boolean {
  return new URLSearchParams(location.search).get(name) === value;
}

/**
 * What `?warmup=off` (the background warm-up), `?jit=v86` (OpsLab's JIT tuning), `?yield=v86`
 * (v86 yielding on its own thread) and `?restore=new` (restores keeping the JIT: a new emulator at
 * each) turn off; each is on otherwise.
 */
function vmTuning(): {
  warmUp: boolean;
  tuneJit: boolean;
  yieldOnSameThread: boolean;
  warmRestore: boolean;
} {
  return {
    warmUp: !urlSays("warmup", "off"),
    tuneJit: !urlSays("jit", "v86"),
    yieldOnSameThread: !urlSays("yield", "v86"),
    warmRestore: !urlSays("restore", "new"),
  };
}

/**
 * Every task file, bundled at build time. NOTE: read as text, so fixtures must be text files.
 */
const TASK_FILES = import.meta.glob<string>("/tasks/*/*/**/*", {
  query: "?raw",
  import: "default",
  eager: true,
});

/** Cloud tasks' host-side checks (tests/cloud-checks.ts), bundled as code: their default exports. */
const TASK_MODULES = import.meta.glob<unknown>("/tasks/*/*/tests/cloud-checks.ts", {
  import: "default",
  eager: true,
});

/** The provider SDKs load when a model is first used, not before the first prompt. */
const loadProviders = () => import("../agent/providers/create-client");

/** Local storage when the browser allows it; otherwise settings live for the tab only. */
function browserStorage(): KeyValueStorage {
  try {
    const probe = "opslab.probe";
    localStorage.setItem(probe, "1");
    localStorage.removeItem(probe);
    return {
      getItem: (k) => localStorage.getItem(k),
      setItem: (k, v) => localStorage.setItem(k, v),
      removeItem: (k) => localStorage.removeItem(k),
      keys: () => Object.keys(localStorage),
    };
  } catch {
    const map = new Map<string, string>();
    return {
      getItem: (k) => map.get(k) ?? null,
      setItem: (k, v) => void map.set(k, v),
      removeItem: (k) => void map.delete(k),
      keys: () => [...map.keys()],
    };
  }
}

/**
 * The image's id, which task states are keyed by (a state restores only on the image that saved it).
 * NOTE: the same manifest the VM driver reads; the browser's cache answers the second request.
 */
async function fetchImageId(vmUrl: URL, manifest: string): Promise<string> {
  const response = await fetch(new URL(manifest, vmUrl));
  return ((await response.json()) as ImageManifest).imageId;
}

/** Reads a response's body, reporting bytes as they come (total from Content-Length, 0 when absent). */
async function readWithProgress(
  response: Response,
  onBytes?: (loaded: number, total: number) => void,
): Promise<Uint8Array> {
  const total = Number(response.headers.get("content-length") ?? 0);
  const reader = response.body?.getReader();
  if (!reader) return new Uint8Array(await response.arrayBuffer());
  const chunks: Uint8Array[] = [];
  let loaded = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    loaded += value.byteLength;
    onBytes?.(loaded, Math.max(total, loaded));
  }
  const bytes = new Uint8Array(loaded);
  let at = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, at);
    at += chunk.byteLength;
  }
  return bytes;
}

/**
 * The task states this site ships (task-states/, npm run build:task-states); none when it ships none.
 * NOTE: in npm run dev the dev server makes a task's state when the page asks for it
 * (src/cli/dev-task-states/): the page asks for the manifest of each key, and again while it builds.
 */
function shippedTaskStates(vmUrl: URL, imageManifest: string): ShippedTaskStates {
  const dir = new URL("task-states/", document.baseURI);
  // NOTE: the base state and each rebuild live in a worker: tens of MB unpacked off the main thread.
  const rebuilder = new StateRebuilder(vmUrl, imageManifest);
  const askDevServer = async (key: string, signal?: AbortSignal) => {
    const url = new URL(`${SHIPPED_MANIFEST_FILE}?key=${encodeURIComponent(key)}`, dir);
    const response = await fetch(url, { cache: "no-store", ...(signal && { signal }) });
    return { status: response.status, json: await response.json().catch(() => undefined) };
  };
  return new ShippedTaskStates({
    ...(import.meta.env.DEV && {
      manifestFor: (key, onBuilding, signal) =>
        onDemandManifest(askDevServer, key, onBuilding, signal),
    }),
    async manifest() {
      const response = await fetch(new URL(SHIPPED_MANIFEST_FILE, dir), { cache: "no-cache" });
      return response.ok ? response.json() : undefined;
    },
    async file(name, onBytes, signal) {
      const response = await fetch(new URL(name, dir), { ...(signal && { signal }) });
      if (!response.ok) throw new Error(`task-states/${name}: HTTP ${response.status}`);
      return readWithProgress(response, onBytes);
    },
    baseFile: () => rebuilder.baseFile(),
    rebuild: (packed) => rebuilder.rebuild(packed),
  });
}

/** navigator.storage: bytes used and allowed, persistence; task states cleared through their cache. */
function browserStorageSpace(taskStates: IdbTaskStateCache): StorageSpacePort {
  const storage = typeof navigator === "undefined" ? undefined : navigator.storage;
  return {
    async estimate() {
      if (!storage?.estimate) return undefined;
      const { usage, quota } = await storage.estimate();
      return usage === undefined || quota === undefined
        ? undefined
        : { usageBytes: usage, quotaBytes: quota };
    },
    async persist() {
      if (!storage?.persist) return undefined;
      return (await storage.persisted()) || storage.persist();
    },
    clearTaskStates: () => taskStates.clear(),
  };
}

/**
 * A picked task's shipped state is fetched and rebuilt while the person reads its ticket, and the one
 * the page opened with once Linux is up (?prefetch=off: neither).
 */
function fetchShippedStatesAhead(page: {
  vm: ReturnType<typeof createVmStore>;
  catalogue: ReturnType<typeof createCatalogueStore>;
  shipped: ShippedTaskStates;
  taskStates: IdbTaskStateCache;
  imageId: () => string | undefined;
  /** Nothing else uses Linux. */
  linuxIdle: () => boolean;
}): void {
  const { vm, catalogue, shipped, taskStates } = page;
  let picks = 0;
  const prefetchPorts: TaskPrefetchPorts = {
    linuxIdle: () =>
      vm.getState().status.phase === "ready" && page.imageId() !== undefined && page.linuxIdle(),
    async prefetch(task) {
      const pick = ++picks;
      const key = await taskStateKey(task, { imageId: page.imageId()!, v86Version: V86_VERSION });
      // NOTE: a state kept in this browser restores without the download.
      const kept = await taskStates.has(key);
      if (pick === picks && !kept) shipped.prefetch(key);
    },
    cancel() {
      picks++;
      shipped.cancelPrefetch();
    },
  };
  const prefetching = !urlSays("prefetch", "off");
  if (prefetching) prefetchOnSelect(catalogue, prefetchPorts);
  // NOTE: once Linux is up and the page idle, the base that shipped task states are patches against is
  // unpacked and kept, so no first visit waits for it (?early-base=off: at the first visit instead);
  // then the chosen task's state is fetched ahead.
  const earlyBase = !urlSays("early-base", "off");
  if (earlyBase || prefetching) {
    const stopWatching = vm.subscribe((state) => {
      if (state.status.phase !== "ready") return;
      stopWatching();
      const load = () =>
        void (earlyBase ? shipped.loadBase() : Promise.resolve())
          .catch(() => undefined)
          .then(() => prefetching && prefetchChosen(catalogue, prefetchPorts));
      if (typeof requestIdleCallback === "function") requestIdleCallback(load, { timeout: 5_000 });
      else setTimeout(load, 1_000);
    });
  }
}

/** Where the page's Linux comes from: its image's folder and manifest, and the image's id once known. */
interface PageImage {
  vmUrl: URL;
  /** The manifest `?image=` asked for; undefined: the default one. */
  imageManifest: string | undefined;
  /** The image's id; undefined until it is known (or if it cannot be). */
  imageId: () => string | undefined;
}

/** The image the page boots, its id fetched in the background. */
function pageImage(): PageImage {
  const vmUrl = new URL("vm/", document.baseURI);
  const imageManifest = vmImageManifest();
  // Until the image's id is known (or if it cannot be), tasks are set up afresh every time.
  let imageId: string | undefined;
  fetchImageId(vmUrl, imageManifest ?? IMAGE_MANIFEST_FILE).then(
    (id) => (imageId = id),
    () => undefined,
  );
  return { vmUrl, imageManifest, imageId: () => imageId };
}

/** The VM store of the page: v86 started from `image` in a worker or on the main thread (?vm=). */
function createPageVmStore(image: PageImage): AppStores["vm"] {
  const { vmUrl, imageManifest } = image;
  return createVmStore({
    now: () => Date.now(),
    startVm: (onProgress, onWarmUpProgress) => {
      const options = {
        vmUrl,
        onProgress,
        onWarmUpProgress,
        ...vmTuning(),
        ...(imageManifest ? { imageManifest } : {}),
      };
      // NOTE: the main-thread driver loads only when asked for, so v86 is not in the page's bundle twice.
      return vmThread() === "worker"
        ? WorkerVm.start(options)
        : import("../vm/browser/browser-vm").then(({ startBrowserVm }) => startBrowserVm(options));
    },
  });
}

/**
 * The page's run repository, opened once, as each use asks for it. `onNote` shows why storage cannot be
 * used (undefined: it can again); `onUnblocked` follows when a blocked upgrade went through after all.
 */
function openPageRunRepository(notes: {
  onNote: (message: string | undefined) => void;
  onUnblocked: () => void;
}): () => Promise<RunRepository> {
  // Opened once; when the browser has no IndexedDB, every use reports why (runs then last for the tab).
  // NOTE: another tab's newer or older OpsLab never wedges this one: the note says what to do, and
  // while an older tab blocks the upgrade every use fails at once (runs stay in the tab) instead of waiting.
  let blocked: string | undefined;
  const runRepository = openRunRepository(RUN_DB_NAME, {
    onBlocked: (message) => {
      blocked = message;
      notes.onNote(message);
    },
    onClosed: (message) => notes.onNote(message),
    runIsLive: runLockHeld,
  });
  runRepository.then(
    () => {
      if (blocked === undefined) return;
      blocked = undefined;
      notes.onNote(undefined);
      notes.onUnblocked();
    },
    () => undefined,
  );
  return () => (blocked === undefined ? runRepository : Promise.reject(new Error(blocked)));
}

/** A run's limits: the task's, with the person's caps from Settings, and `policy` and `approval`. */
function limitsWith(
  settings: AppStores["settings"],
  task: TaskBundle,
  policy: RunLimits["policy"],
  approval?: RunLimits["approval"],
): RunLimits {
  const s = settings.getState().settings;
  return {
    ...limitsForTask(task, {
      maxTokens: s.maxTokens,
      maxCostUsd: s.maxCostUsd,
      ...(s.maxSteps > 0 && { maxSteps: s.maxSteps }),
    }),
    ...(policy && { policy }),
    ...(approval && { approval }),
  };
}

/** What every run in this page runs with: prices, the stop-on-warning setting, the key to keep out of it. */
function pageRunOptions(
  settings: AppStores["settings"],
  stateCache: () => ReadyTaskOptions | undefined,
): RunServices["runOptions"] {
  return () => {
    const s = settings.getState();
    const cache = stateCache();
    return {
      prices: s.prices(),
      stopOnWarning: s.settings.stopOnWarning,
      secrets: s.apiKey ? [s.apiKey] : [],
      ...(cache && { stateCache: cache }),
    };
  };
}

/** The secrets a shared or compared run is scrubbed of: the API key from Settings, when there is one. */
function settingsSecrets(settings: AppStores["settings"]): () => string[] {
  return () => {
    const key = settings.getState().apiKey;
    return key ? [key] : [];
  };
}

/** What the page's stores are wired with: each other, and the adapters shared between them. */
interface PageWiring {
  image: PageImage;
  vm: AppStores["vm"];
  catalogue: AppStores["catalogue"];
  settings: AppStores["settings"];
  repository: () => Promise<RunRepository>;
  /** Where a run readies its task from (createServices' stateCache). */
  stateCache: () => ReadyTaskOptions | undefined;
  runOptions: RunServices["runOptions"];
  /** What else uses Linux than `asking` (linuxBusyBesides). */
  linuxBusy: (asking: LinuxUser, then: string) => string | undefined;
}

/** The run store of the page: agent runs in the page's VM, with the provider and limits from Settings. */
function createPageRunStore(
  page: Pick<PageWiring, "vm" | "settings" | "repository" | "runOptions" | "linuxBusy">,
): AppStores["run"] {
  const { vm, settings, repository, linuxBusy } = page;
  return createRunStore({
    vm: () => vm.getState().vm,
    createClient: async (agent, task, model, setup) =>
      agent === "oracle"
        ? createOracleClient(task.solutionScript)
        : (await loadProviders()).createLlmClient(
            {
              ...settings.getState().providerConfig(),
              ...(model && { model }),
              ...(setup && { effort: setup.effort ?? "off" }),
            },
            settings.getState().apiKey,
          ),
    // NOTE: a suite's runs ask nobody: approval mode is the Lab's, for a run a person watches.
    limits: (task, setup) =>
      setup
        ? limitsWith(settings, task, setup.policy)
        : limitsWith(
            settings,
            task,
            settings.getState().commandPolicy(),
            settings.getState().approvalSetting(),
          ),
    runOptions: page.runOptions,
    runTask: runTaskWithAgent,
    newRunId: () => crypto.randomUUID(),
    now: () => new Date(),
    repository: {
      save: async (record) => (await repository()).save(record),
      list: async () => (await repository()).list(),
      delete: async (id) => (await repository()).delete(id),
      deleteMany: async (ids) => (await repository()).deleteMany(ids),
      begin: async (head, onError) => (await repository()).begin(head, onError),
    },
    holdRun: holdRunLock,
    // NOTE: one user of Linux at a time: a verification, a fork or an explanation resets and replays on the same VM.
    vmBusy: () => linuxBusy("run", "run"),
  });
}

/** The history store of the page: runs and suites exported and imported, and the browser's storage space. */
function createPageHistoryStore(
  stores: Pick<AppStores, "run" | "suites">,
  repository: () => Promise<RunRepository>,
  taskStates: IdbTaskStateCache,
): AppStores["history"] {
  const { run, suites } = stores;
  return createHistoryStore({
    runs: run,
    archives: {
      listSuites: async () => (await repository()).listSuites(),
      saveAll: async (runs, suites) => (await repository()).saveAll(runs, suites),
    },
    space: browserStorageSpace(taskStates),
    now: () => new Date(),
    onImported: () => void suites.getState().refresh(),
  });
}

/**
 * The stores that replay a saved run on the page's Linux: verifying it, forking it at a step, finding
 * where it went wrong; each loads what it kept. NOTE: an explanation, like a verification, ends a fork.
 */
function createReplayStores(
  page: Pick<PageWiring, "vm" | "repository" | "stateCache" | "linuxBusy"> & Pick<AppStores, "run">,
): Required<Pick<AppStores, "verify" | "fork" | "explain">> {
  const { vm, run, repository, stateCache, linuxBusy } = page;
  const verify = createVerifyStore({
    vm: () => vm.getState().vm,
    vmBusy: () => linuxBusy("verify", "verify"),
    verifyRun,
    stateCache,
    repository: {
      saveVerification: async (summary) => (await repository()).saveVerification(summary),
      listVerifications: async () => (await repository()).listVerifications(),
    },
    now: () => new Date(),
  });
  void verify.getState().load();
  const fork = createPageForkStore({ vm, run, verify }, linuxBusy, stateCache);
  const explain = createExplainStore({
    vm: () => vm.getState().vm,
    vmBusy: () => linuxBusy("explain", "try again"),
    explainRun,
    stateCache,
    repository: {
      saveExplanation: async (explanation) => (await repository()).saveExplanation(explanation),
      listExplanations: async () => (await repository()).listExplanations(),
    },
    now: () => new Date(),
  });
  void explain.getState().load();
  explain.subscribe((s, before) => {
    if (explainIsBusy(s.phase) && !explainIsBusy(before.phase)) fork.getState().leave();
  });
  return { verify, fork, explain };
}

/** The compare store of the page: two models on the chosen task, the second in an emulator of its own. */
function createPageCompareStore(
  page: Omit<PageWiring, "stateCache"> & Pick<AppStores, "run">,
): Required<AppStores>["compare"] {
  const { image, vm, catalogue, settings, run, repository, linuxBusy } = page;
  return createCompareStore({
    comparisons: new ComparisonRepository(),
    listRuns: async () => (await (await repository()).list()).runs,
    secrets: settingsSecrets(settings),
    folderHash: (taskId) =>
      catalogue.getState().tasks.find((t) => t.meta.id === taskId)?.folderHash ?? "",
    run: {
      task: () => {
        const { tasks, selectedId } = catalogue.getState();
        return tasks.find((t) => t.meta.id === selectedId);
      },
      pageVm: () => vm.getState().vm ?? null,
      vmBusy: () => linuxBusy("compare", "compare"),
      // NOTE: a second emulator in this tab (bench:compare measures what it costs); no warm-up, restored from the saved state.
      startVm: () =>
        WorkerVm.start({
          vmUrl: image.vmUrl,
          ...vmTuning(),
          warmUp: false,
          ...(image.imageManifest ? { imageManifest: image.imageManifest } : {}),
        }),
      createClient: async (model) =>
        (await loadProviders()).createLlmClient(
          { ...settings.getState().providerConfig(), model },
          settings.getState().apiKey,
        ),
      // NOTE: without approval mode: the comparisons page has no approval panel (a run there would wait forever).
      limits: (task) => limitsWith(settings, task, settings.getState().commandPolicy()),
      runOptions: page.runOptions,
      runTask: runTaskWithAgent,
      newId: () => crypto.randomUUID(),
      now: () => new Date(),
      saveRun: async (record) => {
        await (await repository()).save(record);
        await run.getState().loadHistory();
      },
    },
  });
}

/** The models the provider in Settings offers to its key. */
function settingsModels(settings: AppStores["settings"]): AppStores["listModels"] {
  return async () => {
    const s = settings.getState();
    const client = (await loadProviders()).createLlmClient(s.providerConfig(), s.apiKey);
    return client.listModels(AbortSignal.timeout(15_000));
  };
}

/** The page's stores, each wired to the others and to the browser's adapters, loading what was kept. */
export function createServices(): AppStores {
  const image = pageImage();
  const taskStates = new IdbTaskStateCache();
  const shipped = shippedTaskStates(image.vmUrl, image.imageManifest ?? IMAGE_MANIFEST_FILE);
  const vm = createPageVmStore(image);
  const { tasks, errors } = catalogueFromFiles(TASK_FILES, TASK_MODULES);
  const catalogue = createCatalogueStore({ tasks, errors: errors.map((e) => e.message) });
  const settings = createSettingsStore(browserStorage());
  const repository = openPageRunRepository({
    onNote: (message) => run.setState({ storageNote: message }),
    // The older tab let go: save what was kept in this tab meanwhile.
    onUnblocked: () => {
      void run.getState().saveUnsaved();
      void run.getState().loadHistory();
    },
  });
  /** Where a run readies its task from: this browser's saved states and the site's, once the image is known. */
  const stateCache = () => {
    const imageId = image.imageId();
    return imageId ? { cache: taskStates, imageId, shipped } : undefined;
  };
  // NOTE: the stores that use Linux ask each other whether it is free: only once all of them exist.
  const linuxUsers = (): LinuxUserStores => ({ run, suites, verify, fork, compare, explain });
  const page: PageWiring = {
    image,
    vm,
    catalogue,
    settings,
    repository,
    stateCache,
    runOptions: pageRunOptions(settings, stateCache),
    linuxBusy: (asking, then) => linuxBusyBesides(linuxUsers(), asking, then),
  };
  const run = createPageRunStore(page);
  void run.getState().loadHistory();
  const suites = createPageSuiteStore({ vm, catalogue, settings, run }, repository, () =>
    page.linuxBusy("suite", "run the suite"),
  );
  void suites.getState().load();
  const history = createPageHistoryStore({ run, suites }, repository, taskStates);
  const { verify, fork, explain } = createReplayStores({ ...page, run });
  fetchShippedStatesAhead({
    vm,
    catalogue,
    shipped,
    taskStates,
    imageId: image.imageId,
    linuxIdle: () => linuxIsIdle(linuxUsers()),
  });
  // NOTE: asked once at start; the browser decides (Chromium grants it to sites used often or installed).
  void history.getState().requestPersistence();
  // NOTE: a reload or a closed tab writes the running run's queued events first.
  addEventListener("pagehide", () => run.getState().flushSaves());

  const share = createShareStore({ catalogue, secrets: settingsSecrets(settings) });
  const compare = createPageCompareStore({ ...page, run });

  return {
    vm,
    catalogue,
    settings,
    run,
    history,
    suites,
    share,
    verify,
    fork,
    explain,
    compare,
    listModels: settingsModels(settings),
  };
}

/** The stores that use the page's Linux, one at a time. */
type LinuxUserStores = Pick<AppStores, "run" | "suites" | "verify" | "fork"> &
  Required<Pick<AppStores, "compare" | "explain">>;

/** How a user of the page's Linux says whether it is using it, and the sentence saying it is. */
interface LinuxUse {
  busy: (stores: LinuxUserStores) => boolean;
  message: string;
}

/** Every user of the page's Linux and how it says it is busy ("…: wait for it to end, or stop it"). */
const LINUX_USERS: Record<LinuxUser, LinuxUse> = {
  run: {
    busy: ({ run }) => runIsBusy(run.getState().phase),
    message: "An agent run is using Linux: wait for it to end, or stop it",
  },
  suite: {
    busy: ({ suites }) => suiteIsBusy(suites.getState().phase),
    message: "A suite is running on Linux: wait for it to end, or stop it",
  },
  verify: {
    busy: ({ verify }) => verifyIsBusy(verify.getState().phase),
    message: "Linux is verifying a run: wait for it to end, or stop it",
  },
  fork: {
    busy: ({ fork }) => forkIsBusy(fork.getState().phase),
    message: "Linux is being forked from a run: wait for it to end, or stop it in the Lab",
  },
  compare: {
    busy: ({ compare }) => compare.getState().live.status === "running",
    message: "Two models are compared on Linux: wait for them to end, or stop them",
  },
  explain: {
    busy: ({ explain }) => explainIsBusy(explain.getState().phase),
    message:
      "Linux is finding where a run went wrong: wait for it to end, or stop it in its replay",
  },
};

/** What else uses Linux than `asking`, as a sentence ending "then <then>."; undefined when nothing does. */
function linuxBusyBesides(
  stores: LinuxUserStores,
  asking: LinuxUser,
  then: string,
): string | undefined {
  for (const [user, { busy, message }] of Object.entries(LINUX_USERS)) {
    // NOTE: a suite runs its items through the run store: the run store must not refuse its own suite.
    if (user === asking || (asking === "run" && user === "suite")) continue;
    if (busy(stores)) return `${message}, then ${then}.`;
  }
  return undefined;
}

/** Nothing uses the page's Linux. */
function linuxIsIdle(stores: LinuxUserStores): boolean {
  return Object.values(LINUX_USERS).every(({ busy }) => !busy(stores));
}

/**
 * The fork store over the page's VM. NOTE: a fork holds Linux's state until something else uses Linux:
 * an agent run from the fork carries it on; any other run, a suite or a verification ends it.
 */
function createPageForkStore(
  stores: Pick<AppStores, "vm" | "run" | "verify">,
  linuxBusy: (asking: LinuxUser, then: string) => string | undefined,
  stateCache: () => ReadyTaskOptions | undefined,
): StoreApi<ForkState> {
  const { vm, run, verify } = stores;
  const fork = createForkStore({
    vm: () => vm.getState().vm,
    vmBusy: () => linuxBusy("fork", "fork"),
    forkRun,
    stateCache,
  });
  run.subscribe((s, before) => {
    // A run left "preparing" for anything but idle: it used Linux (idle: it never started).
    if (before.phase !== "preparing" || s.phase === "preparing" || s.phase === "idle") return;
    if (s.forkedFrom) fork.getState().carriedOn();
    else fork.getState().leave();
  });
  verify.subscribe((s, before) => {
    if (s.phase === "verifying" && before.phase !== "verifying") fork.getState().leave();
  });
  return fork;
}

/** What may use the page's Linux, one at a time. */
type LinuxUser = "run" | "suite" | "verify" | "fork" | "explain" | "compare";

/** Where the page remembers which suite was running, so a reload or a reopened tab resumes it. */
const ACTIVE_SUITE_KEY = "opslab.suite.running";

/** The suite store over the page's stores: items run through the run store, suites kept beside runs. */
function createPageSuiteStore(
  stores: Pick<AppStores, "vm" | "catalogue" | "settings" | "run">,
  repository: () => Promise<RunRepository>,
  vmBusy: () => string | undefined,
): StoreApi<SuiteState> {
  const { vm, catalogue, settings, run } = stores;
  const storage = browserStorage();
  return createSuiteStore({
    task: (id) => catalogue.getState().tasks.find((t) => t.meta.id === id),
    ...runItemsThrough(run, () => settings.getState().settings.presetId),
    // NOTE: a verification, a fork or an explanation resets and replays on the same VM.
    vmBusy,
    // NOTE: the VM itself, not the boot's "ready" progress, which comes before the store has the VM.
    whenVmReady: () =>
      new Promise((resolve) => {
        if (vm.getState().vm) return resolve();
        const unsubscribe = vm.subscribe((s) => {
          if (!s.vm) return;
          unsubscribe();
          resolve();
        });
      }),
    // The next run resets Linux anyway; resetting now says at once whether Linux came back.
    restoreVm: async () => {
      const machine = vm.getState().vm;
      if (!machine) throw new Error("Linux is not running: reload the page.");
      await machine.reset();
    },
    repository: {
      saveSuite: async (suite) => (await repository()).saveSuite(suite),
      listSuites: async () => (await repository()).listSuites(),
      deleteSuite: async (id) => (await repository()).deleteSuite(id),
    },
    runs: () => run.getState().history,
    saveArchive: async (runs, suites) => {
      await (await repository()).saveAll(runs, suites);
      await run.getState().loadHistory();
    },
    marker: {
      get: () => storage.getItem(ACTIVE_SUITE_KEY) ?? undefined,
      set: (id) =>
        id === undefined
          ? storage.removeItem(ACTIVE_SUITE_KEY)
          : storage.setItem(ACTIVE_SUITE_KEY, id),
    },
    hold: (id) => holdRunLock(`suite:${id}`),
    heldElsewhere: (id) => runLockHeld(`suite:${id}`),
    newSuiteId: () => crypto.randomUUID(),
    now: () => new Date(),
    clockMs: () => performance.now(),
  });
}
