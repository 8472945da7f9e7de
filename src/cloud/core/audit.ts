// The audit log: one entry per API call, allowed or not, with secrets left out.
import { int, iso, optStr, type ActionDef, type Params } from "./action";
import type { AuditEntry, CloudState } from "./model";

/** Parameters never written to the log. */
const SECRET_PARAMS = new Set(["secretAccessKey", "secret", "document"]);

export function recordCall(
  state: CloudState,
  entry: Omit<AuditEntry, "seq" | "timeMs" | "params"> & { params: Params },
): AuditEntry {
  const params: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(entry.params)) {
    if (value !== undefined) params[key] = SECRET_PARAMS.has(key) ? "(redacted)" : value;
  }
  const full: AuditEntry = {
    ...entry,
    params,
    seq: (state.audit.at(-1)?.seq ?? 0) + 1,
    timeMs: state.nowMs,
  };
  state.audit.push(full);
  return full;
}

/** Actions that only read: whatever they answer, they change nothing in the cloud. */
const READ_ONLY_ACTION = /^(Describe|Get|List|Lookup|Simulate|Test)[A-Z]/;

export function isReadOnlyAction(action: string): boolean {
  return READ_ONLY_ACTION.test(action);
}

/** The calls of `entries` that changed the cloud: allowed, and not read-only. */
export function changingCalls(entries: readonly AuditEntry[]): AuditEntry[] {
  return entries.filter((e) => e.outcome === "ok" && !isReadOnlyAction(e.action));
}

export const auditActions: ActionDef[] = [
  {
    name: "LookupEvents",
    permission: "audit:LookupEvents",
    group: "audit",
    verb: "list",
    summary: "The latest API calls: who, what, and whether it was allowed.",
    params: {
      limit: { kind: "int", help: "how many (default 20)" },
      principal: { kind: "string", help: "only this caller, e.g. user/ops" },
    },
    resource: () => "audit/*",
    columns: ["seq", "time", "principal", "action", "resource", "outcome"],
    run: ({ state }, params) => {
      const who = optStr(params, "principal");
      const entries = state.audit.filter((e) => who === undefined || e.principal === who);
      return {
        items: entries.slice(-int(params, "limit", 20)).map((e) => ({
          seq: e.seq,
          time: iso(e.timeMs),
          principal: e.principal,
          action: e.action,
          resource: e.resource,
          outcome: e.errorCode ?? e.outcome,
        })),
      };
    },
  },
];
