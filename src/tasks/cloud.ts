// Cloud tasks: a fresh control plane per task set-up, wired to the VM's `cloud` program, graded host-side.
import { CloudControlPlane } from "../cloud/core/control-plane";
import { CloudHost } from "../cloud/cli/host";
import { parseCloudJson } from "../cloud/initial/cloud-json";
import { buildInitialState } from "../cloud/initial/initial-state";
import { runCloudChecks } from "../cloud/queries";
import type { CloudState } from "../cloud/core/model";
import type { CheckLine, TaskBundle } from "../domain/task";
import type { Vm } from "../vm/vm";

/** Where the agent's credentials go (root runs the agent's commands). */
export const AGENT_CLOUD_DIR = "/root/.cloud";

interface Session {
  host: CloudHost;
  /** The state the task began with: graders identify resources and find what was untouched by it. */
  initial: CloudState;
  detach: () => void;
}

/** NOTE: one control plane per VM at a time; a new task set-up replaces it. */
const sessions = new WeakMap<Vm, Session>();

export interface StartCloudOptions {
  /**
   * The control plane's clock; absent or undefined: real time (Date.now), so a caller hands on an
   * optional clock as it is.
   */
  nowMs?: (() => number) | undefined;
  /**
   * Writes the agent's credentials and region into the VM (the default): at set-up. A machine restored
   * from a task's saved state has them already, with whatever setup.sh added (another profile), so a
   * restore leaves them as they are. NOTE: cloud.json's keys are the same at every start.
   */
  writeCredentials?: boolean;
}

/**
 * Starts the task's control plane and answers the VM's `cloud` calls with it; for a task without
 * cloud.json, removes any earlier one (so `cloud` says no control plane runs). Writes the agent's
 * credentials and region into the VM unless told not to.
 */
export async function startTaskCloud(
  vm: Vm,
  task: TaskBundle,
  { nowMs = Date.now, writeCredentials = true }: StartCloudOptions = {},
): Promise<CloudHost | undefined> {
  stopTaskCloud(vm);
  if (task.cloudJson === undefined) return undefined;
  const json = parseCloudJson(task.cloudJson);
  const state = buildInitialState(json);
  const initial = structuredClone(state);
  const host = new CloudHost(new CloudControlPlane(state), nowMs);
  const detach = vm.handleHostCalls("cloud", (body) => host.handle(body));
  sessions.set(vm, { host, initial, detach });
  if (json.agent && writeCredentials) {
    const key = state.users
      .find((u) => u.name === json.agent?.user)
      ?.accessKeys.find((k) => k.active);
    if (key) {
      await vm.writeFile(
        `${AGENT_CLOUD_DIR}/credentials`,
        `[default]\naccess_key_id = ${key.id}\nsecret_access_key = ${key.secret}\n`,
        { mode: 0o600 },
      );
    }
    await vm.writeFile(
      `${AGENT_CLOUD_DIR}/config`,
      `[default]\nregion = ${json.agent.region ?? state.defaultRegion}\n`,
      { mode: 0o644 },
    );
  }
  return host;
}

/**
 * Detaches the VM's control plane, if any: its `cloud` then says no control plane runs. For every
 * way a task is readied (set up, or restored from a saved state), so a run never sees an earlier task's cloud.
 */
export function stopTaskCloud(vm: Vm): void {
  sessions.get(vm)?.detach();
  sessions.delete(vm);
}

/** The VM's current control plane, if its task has one. */
export function taskCloud(vm: Vm): CloudHost | undefined {
  return sessions.get(vm)?.host;
}

/** The cloud's state now (clock brought up to date), audit log included, to store with a run. */
export function cloudStateOf(vm: Vm): CloudState | undefined {
  const host = taskCloud(vm);
  host?.sync();
  return host?.plane.snapshot();
}

/**
 * The task's checks of its control plane (tests/cloud-checks.ts), made here on the host against the
 * state, never through a program in the VM; none for a task without them.
 */
export function cloudCheckLines(vm: Vm, task: TaskBundle): CheckLine[] {
  if (task.hostChecks?.kind !== "cloud") return [];
  const session = sessions.get(vm);
  if (!session)
    return [
      { passed: false, text: "the task's control plane is not running: set the task up first" },
    ];
  session.host.sync();
  return runCloudChecks(task.hostChecks, session.host.plane.state, session.initial);
}
