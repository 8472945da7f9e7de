// Deployments: replicas of a container image, rolling updates, rollbacks, and replicas that fail for a reason.
import { int, iso, map, optStr, str, type ActionDef } from "../core/action";
import { CloudError, invalidParameter } from "../core/errors";
import { stableHash } from "../core/ids";
import { checkQuota } from "../core/quotas";
import {
  CRASH_BACKOFF_MS,
  PROGRESS_DEADLINE_MS,
  REPLICA_START_MS,
  type CloudState,
  type Deployment,
  type DeploymentRevision,
  type DeploymentTemplate,
} from "../core/model";

export interface ReplicaView {
  name: string;
  revision: number;
  image: string;
  status: "ContainerCreating" | "Running" | "CrashLoopBackOff" | "ImagePullBackOff";
  ready: boolean;
  restarts: number;
  message: string;
  /** The last lines the replica's program printed. */
  log: string[];
}

interface Problem {
  status: ReplicaView["status"];
  message: string;
  log: string[];
}

export function findDeployment(state: CloudState, name: string): Deployment {
  const deployment = state.deployments.find((d) => d.name === name);
  if (!deployment)
    throw new CloudError("DeploymentNotFound", `deployments "${name}" not found`, 404);
  return deployment;
}

function revisionOf(d: Deployment, revision: number): DeploymentRevision {
  const found = d.revisions.find((r) => r.revision === revision);
  if (!found)
    throw new CloudError(
      "RevisionNotFound",
      `unable to find the specified revision ${revision} of deployment "${d.name}"`,
      404,
    );
  return found;
}

/** Why replicas of this template cannot serve, or null when they can. */
export function templateProblem(state: CloudState, t: DeploymentTemplate): Problem | null {
  const [repo = "", tag = "latest"] = t.image.split(":");
  const image = state.registry[repo]?.[tag];
  if (!image) {
    return {
      status: "ImagePullBackOff",
      message: `Failed to pull image "${t.image}": manifest for ${t.image} not found: manifest unknown`,
      log: [],
    };
  }
  const missing = image.requiredEnv.find((name) => !t.env[name]);
  if (missing) {
    return {
      status: "CrashLoopBackOff",
      message: "Back-off restarting failed container (exit code 1)",
      log: [
        `starting ${repo} ${tag}`,
        `FATAL: required environment variable ${missing} is not set`,
      ],
    };
  }
  if (image.port !== t.port) {
    return {
      status: "Running",
      message: `Readiness probe failed: Get "http://replica:${t.port}${t.healthPath}": dial tcp :${t.port}: connect: connection refused`,
      log: [`starting ${repo} ${tag}`, `listening on :${image.port}`],
    };
  }
  if (!image.httpPaths.includes(t.healthPath)) {
    return {
      status: "Running",
      message: "Readiness probe failed: HTTP probe failed with statuscode: 404",
      log: [`starting ${repo} ${tag}`, `listening on :${image.port}`, `GET ${t.healthPath} 404`],
    };
  }
  return null;
}

function replica(
  d: Deployment,
  rev: DeploymentRevision,
  index: number,
  problem: Problem | null,
  ready: boolean,
  sinceMs: number,
  nowMs: number,
): ReplicaView {
  const crashing = problem?.status === "CrashLoopBackOff";
  return {
    name: `${d.name}-${stableHash(`${d.name}/${rev.revision}`).slice(0, 6)}-${stableHash(`${rev.revision}/${index}`).slice(0, 5)}`,
    revision: rev.revision,
    image: rev.template.image,
    status: problem?.status ?? (ready ? "Running" : "ContainerCreating"),
    ready: problem === null && ready,
    restarts: crashing ? Math.floor((nowMs - sinceMs) / CRASH_BACKOFF_MS) + 1 : 0,
    message: problem?.message ?? "",
    log:
      problem?.log ??
      (ready ? [`starting ${rev.template.image}`, `listening on :${rev.template.port}`] : []),
  };
}

/**
 * The replicas now, as a pure function of the deployment and the clock. A rollout surges one new
 * replica at a time and removes an old one only when a new one is ready, so a broken revision never
 * takes the serving replicas down.
 */
export function replicasOf(state: CloudState, d: Deployment): ReplicaView[] {
  const now = state.nowMs;
  const elapsed = now - d.rolloutStartedAtMs;
  const current = revisionOf(d, d.currentRevision);
  const problem = templateProblem(state, current.template);
  if (d.currentRevision === d.stableRevision) {
    return Array.from({ length: d.replicas }, (_, i) =>
      replica(d, current, i, problem, elapsed >= REPLICA_START_MS, d.rolloutStartedAtMs, now),
    );
  }
  const stable = revisionOf(d, d.stableRevision);
  const stableProblem = templateProblem(state, stable.template);
  const newReady = problem ? 0 : Math.min(d.replicas, Math.floor(elapsed / REPLICA_START_MS));
  const out: ReplicaView[] = [];
  for (let i = 0; i < d.replicas - newReady; i++)
    out.push(replica(d, stable, i, stableProblem, true, d.rolloutStartedAtMs, now));
  for (let i = 0; i < newReady; i++)
    out.push(replica(d, current, i, null, true, d.rolloutStartedAtMs, now));
  if (newReady < d.replicas)
    out.push(replica(d, current, newReady, problem, false, d.rolloutStartedAtMs, now));
  return out;
}

/** Reconciliation: a rollout whose replicas are all ready becomes the stable revision. */
export function reconcileDeployment(state: CloudState, d: Deployment): void {
  if (d.currentRevision === d.stableRevision) return;
  const problem = templateProblem(state, revisionOf(d, d.currentRevision).template);
  if (!problem && state.nowMs - d.rolloutStartedAtMs >= d.replicas * REPLICA_START_MS)
    d.stableRevision = d.currentRevision;
}

function withoutLog(r: ReplicaView): Omit<ReplicaView, "log"> {
  const copy: Partial<ReplicaView> = { ...r };
  delete copy.log;
  return copy as Omit<ReplicaView, "log">;
}

/** Whether the last rollout finished, and the message `cloud deployments status` prints. */
export function rolloutStatus(
  state: CloudState,
  d: Deployment,
): { done: boolean; message: string } {
  const replicas = replicasOf(state, d);
  const updated = replicas.filter((r) => r.revision === d.currentRevision && r.ready).length;
  if (updated === d.replicas && replicas.length === d.replicas)
    return { done: true, message: `deployment "${d.name}" successfully rolled out` };
  if (state.nowMs - d.rolloutStartedAtMs > PROGRESS_DEADLINE_MS)
    return { done: false, message: `error: deployment "${d.name}" exceeded its progress deadline` };
  return {
    done: false,
    message: `Waiting for deployment "${d.name}" rollout to finish: ${updated} of ${d.replicas} updated replicas are available...`,
  };
}

function deploymentView(state: CloudState, d: Deployment) {
  const replicas = replicasOf(state, d);
  const t = revisionOf(d, d.currentRevision).template;
  return {
    name: d.name,
    image: t.image,
    replicas: d.replicas,
    ready: `${replicas.filter((r) => r.ready).length}/${d.replicas}`,
    revision: d.currentRevision,
    env: t.env,
    port: t.port,
    healthPath: t.healthPath,
    rollout: rolloutStatus(state, d).message,
    pods: replicas.map(withoutLog),
  };
}

function newRevision(state: CloudState, d: Deployment, template: DeploymentTemplate): void {
  const revision = Math.max(...d.revisions.map((r) => r.revision)) + 1;
  d.revisions.push({ revision, template, createdAtMs: state.nowMs });
  // NOTE: a rollout that had not finished leaves the last finished revision serving.
  d.currentRevision = revision;
  d.rolloutStartedAtMs = state.nowMs;
}

const nameParam = {
  deployment: {
    kind: "string" as const,
    required: true,
    positional: true,
    help: "deployment name",
  },
};
const current = (d: Deployment): DeploymentTemplate =>
  d.revisions.find((r) => r.revision === d.currentRevision)!.template;

export const deploymentActions: ActionDef[] = [
  {
    name: "ListDeployments",
    permission: "deploy:ListDeployments",
    group: "deployments",
    verb: "list",
    summary: "List deployments and how many replicas are ready.",
    params: {},
    resource: () => "deployment/*",
    columns: ["name", "image", "ready", "revision", "rollout"],
    run: (ctx) => ({
      items: ctx.state.deployments
        .filter((d) => d.region === ctx.region)
        .map((d) => deploymentView(ctx.state, d)),
    }),
  },
  {
    name: "DescribeDeployment",
    permission: "deploy:DescribeDeployment",
    group: "deployments",
    verb: "describe",
    summary: "Show a deployment, its template and its replicas.",
    params: nameParam,
    resource: (p) => `deployment/${String(p.deployment)}`,
    run: ({ state }, params) =>
      deploymentView(state, findDeployment(state, str(params, "deployment"))),
  },
  {
    name: "ListReplicas",
    permission: "deploy:DescribeDeployment",
    group: "deployments",
    verb: "replicas",
    summary:
      "List a deployment's replicas with status, restarts and the reason they are not ready.",
    params: nameParam,
    resource: (p) => `deployment/${String(p.deployment)}`,
    columns: ["name", "revision", "status", "ready", "restarts", "message"],
    run: ({ state }, params) => ({
      items: replicasOf(state, findDeployment(state, str(params, "deployment"))).map(withoutLog),
    }),
  },
  {
    name: "GetReplicaLogs",
    permission: "deploy:GetLogs",
    group: "deployments",
    verb: "logs",
    summary: "Print the last log lines of a deployment's replicas (or of --replica NAME).",
    params: { ...nameParam, replica: { kind: "string", help: "one replica's name" } },
    resource: (p) => `deployment/${String(p.deployment)}`,
    run: ({ state }, params) => {
      const replicas = replicasOf(state, findDeployment(state, str(params, "deployment")));
      const wanted = optStr(params, "replica");
      const chosen = wanted === undefined ? replicas : replicas.filter((r) => r.name === wanted);
      if (chosen.length === 0)
        throw new CloudError("ReplicaNotFound", `replicas "${wanted}" not found`, 404);
      return { text: chosen.flatMap((r) => r.log.map((line) => `[${r.name}] ${line}`)).join("\n") };
    },
  },
  {
    name: "CreateDeployment",
    permission: "deploy:CreateDeployment",
    group: "deployments",
    verb: "create",
    summary: "Create a deployment of a container image.",
    params: {
      name: { kind: "string", required: true, positional: true, help: "deployment name" },
      image: { kind: "string", required: true, help: "repository:tag (see `cloud registry list`)" },
      replicas: { kind: "int", help: "how many (default 1)" },
      env: { kind: "map", help: "KEY=VALUE (repeatable)" },
      port: { kind: "int", help: "the port the program listens on (default 8080)" },
      "health-path": { kind: "string", help: "readiness probe path (default /healthz)" },
    },
    resource: (p) => `deployment/${String(p.name)}`,
    run: (ctx, params) => {
      const { state } = ctx;
      const name = str(params, "name");
      if (!/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(name))
        throw invalidParameter(
          `a deployment name must consist of lower case alphanumeric characters or '-' (got "${name}")`,
        );
      if (state.deployments.some((d) => d.name === name))
        throw new CloudError("AlreadyExists", `deployments "${name}" already exists`, 409);
      const replicas = int(params, "replicas", 1);
      if (replicas < 0) throw invalidParameter("replicas must be 0 or more");
      checkQuota(state, "replicas", replicas);
      const template: DeploymentTemplate = {
        image: str(params, "image"),
        env: map(params, "env"),
        port: int(params, "port", 8080),
        healthPath: optStr(params, "health-path") ?? "/healthz",
      };
      const d: Deployment = {
        name,
        region: ctx.region,
        replicas,
        revisions: [{ revision: 1, template, createdAtMs: state.nowMs }],
        currentRevision: 1,
        stableRevision: 1,
        rolloutStartedAtMs: state.nowMs,
      };
      state.deployments.push(d);
      return deploymentView(state, d);
    },
  },
  {
    name: "UpdateDeploymentImage",
    permission: "deploy:UpdateDeployment",
    group: "deployments",
    verb: "set-image",
    summary: "Roll out another image tag.",
    params: { ...nameParam, image: { kind: "string", required: true, help: "repository:tag" } },
    resource: (p) => `deployment/${String(p.deployment)}`,
    run: ({ state }, params) => {
      const d = findDeployment(state, str(params, "deployment"));
      newRevision(state, d, { ...current(d), image: str(params, "image") });
      return deploymentView(state, d);
    },
  },
  {
    name: "UpdateDeploymentEnv",
    permission: "deploy:UpdateDeployment",
    group: "deployments",
    verb: "set-env",
    summary: "Set (KEY=VALUE) or remove (KEY=) environment variables; rolls out a new revision.",
    params: {
      ...nameParam,
      env: { kind: "map", required: true, help: "KEY=VALUE (repeatable); KEY= removes it" },
    },
    resource: (p) => `deployment/${String(p.deployment)}`,
    run: ({ state }, params) => {
      const d = findDeployment(state, str(params, "deployment"));
      const changes = map(params, "env");
      if (Object.keys(changes).length === 0)
        throw invalidParameter("Give at least one --env KEY=VALUE");
      const env = { ...current(d).env };
      for (const [key, value] of Object.entries(changes)) {
        if (value === "") delete env[key];
        else env[key] = value;
      }
      newRevision(state, d, { ...current(d), env });
      return deploymentView(state, d);
    },
  },
  {
    name: "UpdateDeploymentProbe",
    permission: "deploy:UpdateDeployment",
    group: "deployments",
    verb: "set-probe",
    summary: "Change the readiness probe: --health-path /healthz, --port 8080.",
    params: {
      ...nameParam,
      "health-path": { kind: "string", help: "probe path" },
      port: { kind: "int", help: "container port" },
    },
    resource: (p) => `deployment/${String(p.deployment)}`,
    run: ({ state }, params) => {
      const d = findDeployment(state, str(params, "deployment"));
      const t = current(d);
      if (params["health-path"] === undefined && params.port === undefined)
        throw invalidParameter("Give --health-path or --port.");
      newRevision(state, d, {
        ...t,
        healthPath: optStr(params, "health-path") ?? t.healthPath,
        port: int(params, "port", t.port),
      });
      return deploymentView(state, d);
    },
  },
  {
    name: "ScaleDeployment",
    permission: "deploy:ScaleDeployment",
    group: "deployments",
    verb: "scale",
    summary: "Change the number of replicas.",
    params: { ...nameParam, replicas: { kind: "int", required: true, help: "how many" } },
    resource: (p) => `deployment/${String(p.deployment)}`,
    run: ({ state }, params) => {
      const d = findDeployment(state, str(params, "deployment"));
      const replicas = int(params, "replicas");
      if (replicas < 0) throw invalidParameter("replicas must be 0 or more");
      checkQuota(state, "replicas", replicas - d.replicas);
      d.replicas = replicas;
      return deploymentView(state, d);
    },
  },
  {
    name: "GetRolloutStatus",
    permission: "deploy:DescribeDeployment",
    group: "deployments",
    verb: "status",
    summary: "Has the last rollout finished? (exit 1 while it has not.)",
    params: nameParam,
    resource: (p) => `deployment/${String(p.deployment)}`,
    run: ({ state }, params) => {
      const status = rolloutStatus(state, findDeployment(state, str(params, "deployment")));
      if (!status.done) throw new CloudError("RolloutNotComplete", status.message, 409);
      return { text: status.message };
    },
  },
  {
    name: "ListRevisions",
    permission: "deploy:DescribeDeployment",
    group: "deployments",
    verb: "history",
    summary: "List a deployment's revisions.",
    params: nameParam,
    resource: (p) => `deployment/${String(p.deployment)}`,
    columns: ["revision", "image", "env", "healthPath", "created", "serving"],
    run: ({ state }, params) => {
      const d = findDeployment(state, str(params, "deployment"));
      return {
        items: d.revisions.map((r) => ({
          revision: r.revision,
          image: r.template.image,
          env: Object.keys(r.template.env).join(","),
          healthPath: r.template.healthPath,
          created: iso(r.createdAtMs),
          serving:
            r.revision === d.currentRevision
              ? "current"
              : r.revision === d.stableRevision
                ? "stable"
                : "",
        })),
      };
    },
  },
  {
    name: "RollbackDeployment",
    permission: "deploy:UpdateDeployment",
    group: "deployments",
    verb: "rollback",
    summary:
      "Roll back to the previous revision (or --to-revision N): a new revision with its template.",
    params: {
      ...nameParam,
      "to-revision": { kind: "int", help: "revision number (default: the one before the current)" },
    },
    resource: (p) => `deployment/${String(p.deployment)}`,
    run: ({ state }, params) => {
      const d = findDeployment(state, str(params, "deployment"));
      const previous = d.revisions.filter((r) => r.revision < d.currentRevision).at(-1);
      const target =
        params["to-revision"] === undefined ? previous : revisionOf(d, int(params, "to-revision"));
      if (!target)
        throw new CloudError(
          "RevisionNotFound",
          `no rollout history found for deployment "${d.name}"`,
          404,
        );
      newRevision(state, d, structuredClone(target.template));
      return deploymentView(state, d);
    },
  },
  {
    name: "DeleteDeployment",
    permission: "deploy:DeleteDeployment",
    group: "deployments",
    verb: "delete",
    summary: "Delete a deployment and its replicas.",
    params: nameParam,
    resource: (p) => `deployment/${String(p.deployment)}`,
    run: ({ state }, params) => {
      const d = findDeployment(state, str(params, "deployment"));
      state.deployments.splice(state.deployments.indexOf(d), 1);
      return { deleted: d.name };
    },
  },
  {
    name: "ListImageTags",
    permission: "registry:ListImages",
    group: "registry",
    verb: "list",
    summary: "List the container images and tags in the registry.",
    params: {},
    resource: () => "repository/*",
    columns: ["image", "port"],
    run: ({ state }) => ({
      items: Object.entries(state.registry).flatMap(([repo, tags]) =>
        Object.entries(tags).map(([tag, m]) => ({ image: `${repo}:${tag}`, port: m.port })),
      ),
    }),
  },
];
