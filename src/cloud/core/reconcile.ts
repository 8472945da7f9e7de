// Reconciliation: moves every resource along the transitions whose time has come (a function of state and clock).
import { reconcileDeployment } from "../compute/deployments";
import {
  DNS_PROPAGATION_MS,
  INSTANCE_BOOT_MS,
  INSTANCE_STOP_MS,
  LB_PROVISION_MS,
  SNAPSHOT_MS,
  VOLUME_CREATE_MS,
  type CloudState,
  type InstanceState,
} from "./model";

const INSTANCE_NEXT: Partial<Record<InstanceState, { after: number; next: InstanceState }>> = {
  pending: { after: INSTANCE_BOOT_MS, next: "running" },
  stopping: { after: INSTANCE_STOP_MS, next: "stopped" },
  "shutting-down": { after: INSTANCE_STOP_MS, next: "terminated" },
};

/**
 * Brings `state` up to `state.nowMs`. NOTE: deterministic and idempotent: the same state and time
 * give the same result however often it runs, and transitions take effect at their due time (not
 * at the time of the call), so advancing the clock in one step or many ends the same.
 */
export function reconcile(state: CloudState): void {
  const now = state.nowMs;
  for (const instance of state.instances) {
    for (
      let step = INSTANCE_NEXT[instance.state];
      step && now - instance.stateSinceMs >= step.after;
      step = INSTANCE_NEXT[instance.state]
    ) {
      instance.stateSinceMs += step.after;
      instance.state = step.next;
    }
  }
  for (const volume of state.volumes) {
    if (volume.state === "creating" && now - volume.stateSinceMs >= VOLUME_CREATE_MS) {
      volume.state = "available";
      volume.stateSinceMs += VOLUME_CREATE_MS;
    }
  }
  for (const snapshot of state.snapshots) {
    if (snapshot.state === "pending" && now - snapshot.startedAtMs >= SNAPSHOT_MS)
      snapshot.state = "completed";
  }
  for (const lb of state.loadBalancers) {
    if (lb.state === "provisioning" && now - lb.createdAtMs >= LB_PROVISION_MS) lb.state = "active";
  }
  for (const zone of state.dnsZones) {
    for (const record of zone.records) {
      if (now - record.changedAtMs >= DNS_PROPAGATION_MS) record.servedValues = record.values;
    }
    zone.records = zone.records.filter((r) => r.values !== null || r.servedValues !== null);
  }
  for (const deployment of state.deployments) reconcileDeployment(state, deployment);
}
