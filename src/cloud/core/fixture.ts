// A small cloud for tests: two zones, a web tier behind a load balancer, DNS, IAM users, a deployment.
import type { Params } from "./action";
import { CloudControlPlane, type CallResult } from "./control-plane";
import { CloudJsonSchema, type CloudJson } from "../initial/cloud-json";
import { buildInitialState } from "../initial/initial-state";

export const FIXTURE_JSON = {
  seed: 7,
  regions: [{ name: "eu-west-1", zones: ["eu-west-1a", "eu-west-1b"] }],
  images: [
    {
      id: "img-web",
      name: "web",
      listens: [{ port: 80, protocol: "tcp", httpPaths: ["/", "/healthz"] }],
    },
    { id: "img-plain", name: "plain", listens: [] },
  ],
  registry: {
    "shop/api": {
      "1.0": { requiredEnv: ["DATABASE_URL"], port: 8080, httpPaths: ["/healthz"] },
      "1.1": { requiredEnv: ["DATABASE_URL", "CACHE_URL"], port: 8080, httpPaths: ["/healthz"] },
    },
  },
  quotas: { vcpus: 8 },
  networks: [{ id: "net-main", name: "main", cidr: "10.0.0.0/16" }],
  subnets: [
    {
      id: "subnet-a",
      name: "public-a",
      network: "main",
      zone: "eu-west-1a",
      cidr: "10.0.1.0/24",
      public: true,
    },
    { id: "subnet-b", name: "private-b", network: "main", zone: "eu-west-1b", cidr: "10.0.2.0/24" },
  ],
  securityGroups: [
    {
      id: "sg-lb",
      name: "lb",
      network: "main",
      ingress: [{ protocol: "tcp", port: 80, source: "0.0.0.0/0" }],
    },
    {
      id: "sg-web",
      name: "web",
      network: "main",
      ingress: [{ protocol: "tcp", port: 80, source: "sg-lb" }],
    },
    { id: "sg-spare", name: "spare", network: "main" },
  ],
  instances: [
    {
      id: "i-web1",
      name: "web-1",
      type: "small",
      image: "web",
      subnet: "public-a",
      securityGroups: ["web"],
    },
    {
      id: "i-web2",
      name: "web-2",
      type: "small",
      image: "web",
      subnet: "private-b",
      securityGroups: ["web"],
    },
  ],
  volumes: [{ id: "vol-data", name: "data", zone: "eu-west-1a", sizeGiB: 10, attachedTo: "web-1" }],
  targetGroups: [
    {
      name: "web",
      network: "main",
      port: 80,
      healthCheck: { path: "/healthz" },
      targets: ["web-1", "web-2"],
    },
  ],
  loadBalancers: [
    {
      name: "shop",
      subnets: ["public-a"],
      securityGroups: ["lb"],
      listeners: [{ port: 80, targetGroup: "web" }],
    },
  ],
  dnsZones: [
    {
      name: "shop.example",
      records: [
        { name: "www.shop.example", type: "CNAME", values: ["shop-lb.eu-west-1.cloud.internal"] },
      ],
    },
  ],
  policies: [
    { name: "admin", statements: [{ effect: "Allow", actions: ["*"] }] },
    {
      name: "readonly",
      statements: [{ effect: "Allow", actions: ["*:Describe*", "*:List*", "*:Get*"] }],
    },
    {
      name: "dev",
      statements: [
        {
          effect: "Allow",
          actions: ["compute:*"],
          resources: ["instance/*", "instance-type/*", "image/*"],
        },
        { effect: "Deny", actions: ["compute:TerminateInstances"], resources: ["*"] },
      ],
    },
    {
      name: "assume-deployer",
      statements: [{ effect: "Allow", actions: ["iam:AssumeRole"], resources: ["role/deployer"] }],
    },
    {
      name: "deploy",
      statements: [{ effect: "Allow", actions: ["deploy:*"], resources: ["deployment/*"] }],
    },
  ],
  users: [
    { name: "admin", policies: ["admin"], accessKeys: [{ id: "AKADMIN", secret: "admin-secret" }] },
    {
      name: "viewer",
      policies: ["readonly"],
      accessKeys: [{ id: "AKVIEWER", secret: "viewer-secret" }],
    },
    {
      name: "dev",
      policies: ["dev", "assume-deployer"],
      accessKeys: [{ id: "AKDEV", secret: "dev-secret" }],
    },
  ],
  roles: [{ name: "deployer", policies: ["deploy"], trustedUsers: ["dev"] }],
  deployments: [
    {
      name: "api",
      image: "shop/api:1.0",
      replicas: 2,
      env: { DATABASE_URL: "postgres://db/shop" },
    },
  ],
  agent: { user: "admin" },
};

export function makeCloud(overrides: Partial<CloudJson> = {}): CloudControlPlane {
  return new CloudControlPlane(
    buildInitialState(CloudJsonSchema.parse({ ...FIXTURE_JSON, ...overrides })),
  );
}

const SECRETS: Record<string, string> = {
  AKADMIN: "admin-secret",
  AKVIEWER: "viewer-secret",
  AKDEV: "dev-secret",
};

/** Calls as one of the fixture's users ("admin", "viewer", "dev"), optionally in a role. */
export function callAs(
  plane: CloudControlPlane,
  user: string,
  action: string,
  params: Params = {},
  role?: string,
): CallResult {
  const accessKeyId = `AK${user.toUpperCase()}`;
  return plane.call({
    credentials: {
      kind: "keys",
      accessKeyId,
      secretAccessKey: SECRETS[accessKeyId] ?? "",
      ...(role ? { role } : {}),
    },
    action,
    params,
  });
}

/** The result of a call as admin that must succeed (the test fails with the error otherwise). */
export function ok<T = Record<string, unknown>>(
  plane: CloudControlPlane,
  action: string,
  params: Params = {},
): T {
  const result = callAs(plane, "admin", action, params);
  if (!result.ok)
    throw new Error(`${action} failed: ${result.error.code}: ${result.error.message}`);
  return result.result as T;
}

/** The error code and message of a call as admin that must fail. */
export function fails(
  plane: CloudControlPlane,
  action: string,
  params: Params = {},
  user = "admin",
): { code: string; message: string } {
  const result = callAs(plane, user, action, params);
  if (result.ok) throw new Error(`${action} succeeded but was expected to fail`);
  return { code: result.error.code, message: result.error.message };
}
