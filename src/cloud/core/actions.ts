// Every API action of the simulated cloud, in one catalogue (the CLI's commands come from it).
import type { ActionDef } from "./action";
import { computeActions } from "../compute/instances";
import { deploymentActions } from "../compute/deployments";
import { dnsActions } from "../dns/dns";
import { iamActions } from "../iam/iam";
import { lbActions } from "../lb/lb";
import { networkActions } from "../network/network";
import { quotaActions } from "./quotas";
import { storageActions } from "../volumes/volumes";
import { auditActions } from "./audit";

export const ACTIONS: ActionDef[] = [
  ...computeActions,
  ...storageActions,
  ...networkActions,
  ...lbActions,
  ...dnsActions,
  ...iamActions,
  ...deploymentActions,
  ...quotaActions,
  ...auditActions,
];

export const ACTIONS_BY_NAME: ReadonlyMap<string, ActionDef> = new Map(
  ACTIONS.map((a) => [a.name, a]),
);
