// The control plane: authenticates a call, reconciles to the current time, checks policy, runs it, audits it.
import type { ActionContext, Caller, Params } from "./action";
import { ACTIONS_BY_NAME } from "./actions";
import { recordCall } from "./audit";
import { CloudError } from "./errors";
import { assumeRole, authenticate, policiesOf } from "../iam/iam";
import { denialMessage, evaluate } from "../iam/policy";
import { reconcile } from "./reconcile";
import type { CloudState } from "./model";

/**
 * Who makes a call: access keys, optionally switching to a role. NOTE: there is no other way in;
 * graders read the state host-side (src/cloud/queries) instead of calling as a privileged identity.
 */
export interface Credentials {
  kind: "keys";
  accessKeyId: string;
  secretAccessKey: string;
  role?: string;
}

export interface CallRequest {
  credentials: Credentials | undefined;
  action: string;
  params: Params;
  region?: string;
}

export type CallResult = { ok: true; result: unknown } | { ok: false; error: CloudError };

/**
 * Runs `f`; when it throws, puts every resource back as it was. NOTE: a refused call changes
 * nothing, even when the handler had changed part of the state before it found the problem.
 */
export function runAtomically<T>(state: CloudState, f: () => T): T {
  const before = structuredClone({ ...state, audit: [] });
  try {
    return f();
  } catch (error) {
    Object.assign(state, before, { audit: state.audit });
    throw error;
  }
}

export class CloudControlPlane {
  constructor(private current: CloudState) {
    reconcile(this.current);
  }

  /** The live state (read it, never keep it across calls: restore() replaces it). */
  get state(): CloudState {
    return this.current;
  }

  /** Advances the simulated clock and settles every transition that came due. */
  advance(ms: number): void {
    if (!(ms >= 0)) throw new RangeError(`advance: expected a non-negative duration, got ${ms}`);
    this.current.nowMs += ms;
    reconcile(this.current);
  }

  /** A deep copy of the whole state, to store with a run. */
  snapshot(): CloudState {
    return structuredClone(this.current);
  }

  restore(state: CloudState): void {
    this.current = structuredClone(state);
  }

  private identify(credentials: Credentials | undefined): Caller {
    const state = this.current;
    if (!credentials) {
      throw new CloudError(
        "MissingAuthenticationToken",
        "Unable to locate credentials. Configure them in ~/.cloud/credentials or set CLOUD_ACCESS_KEY_ID and CLOUD_SECRET_ACCESS_KEY.",
        401,
      );
    }
    const user = authenticate(state, credentials.accessKeyId, credentials.secretAccessKey);
    if (credentials.role) {
      const role = assumeRole(state, user, credentials.role);
      return { principal: `role/${role.name}`, policies: policiesOf(state, role.policies) };
    }
    return { principal: `user/${user.name}`, policies: policiesOf(state, user.policies) };
  }

  /** Runs one API call. NOTE: every call is audited, including refused and failed ones. */
  call(request: CallRequest): CallResult {
    const state = this.current;
    reconcile(state);
    const action = ACTIONS_BY_NAME.get(request.action);
    let principal = "anonymous";
    let resource = "*";
    try {
      if (!action)
        throw new CloudError(
          "InvalidAction",
          `The action ${request.action} is not valid for this endpoint.`,
          400,
        );
      resource = action.resource(request.params);
      const caller = this.identify(request.credentials);
      principal = caller.principal;
      const region = request.region ?? state.defaultRegion;
      if (!state.regions.some((r) => r.name === region)) {
        throw new CloudError(
          "InvalidRegion",
          `The region '${region}' does not exist. Regions: ${state.regions.map((r) => r.name).join(", ")}`,
          400,
        );
      }
      // NOTE: like real clouds, anyone may ask who they are; everything else needs a policy.
      if (action.permission !== "sts:GetCallerIdentity") {
        const decision = evaluate(caller.policies, action.permission, resource);
        if (!decision.allowed)
          throw new CloudError(
            "AccessDenied",
            denialMessage(caller.principal, action.permission, resource, decision),
            403,
          );
      }
      const ctx: ActionContext = { state, caller, region };
      const result = runAtomically(state, () => action.run(ctx, request.params));
      recordCall(state, {
        principal,
        action: request.action,
        resource,
        params: request.params,
        outcome: "ok",
        errorCode: null,
      });
      return { ok: true, result };
    } catch (error) {
      if (!(error instanceof CloudError)) throw error;
      recordCall(state, {
        principal,
        action: request.action,
        resource,
        params: request.params,
        outcome: "error",
        errorCode: error.code,
      });
      return { ok: false, error };
    }
  }
}
