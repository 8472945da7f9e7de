// The read-only query API over the control plane's state that cloud graders (tests/cloud-checks.ts) use.
export { CloudView } from "./cloud-view";
export type {
  AllowedSources,
  AuditFilter,
  DeploymentStatus,
  FlowSource,
  Resolution,
} from "./cloud-view";
export { grantsOf, isReadOnly, PERMISSIONS, resourceNames, simulate } from "./access";
export type { Grant, Principal } from "./access";
export { admitsInternetSource, NON_PUBLIC_BLOCKS } from "./exposure";
export { cloudChecks, GRADE_SETTLE_MS, runCloudChecks, settled, unchanged } from "./checks";
export { replayAudit, replayGaps } from "./replay";
export type { Replay, ReplayGaps, ReplayStep } from "./replay";
export type { Check, CloudChecks, CloudWorld } from "./checks";
export type { Admission } from "../network/network";
export type { TargetHealth } from "../lb/target-health";
export type { Verdict } from "../iam/policy";
