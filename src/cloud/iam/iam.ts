// IAM: users with access keys, roles, and policies attached to either; who the caller is.
import { list, str, type ActionContext, type ActionDef, type Params } from "../core/action";
import { alreadyExists, CloudError, invalidParameter } from "../core/errors";
import { newId, newSecret } from "../core/ids";
import { evaluate, type Decision } from "./policy";
import type { CloudState, Policy, PolicyStatement, Role, User } from "../core/model";

const noSuchEntity = (what: string, name: string): CloudError =>
  new CloudError("NoSuchEntity", `The ${what} with name ${name} cannot be found.`, 404);

export function findUser(state: CloudState, name: string): User {
  const user = state.users.find((u) => u.name === name);
  if (!user) throw noSuchEntity("user", name);
  return user;
}

export function findRole(state: CloudState, name: string): Role {
  const role = state.roles.find((r) => r.name === name);
  if (!role) throw noSuchEntity("role", name);
  return role;
}

/** AWS's limit: a user holds two keys at most (active or not), so a rotation makes room first. */
export const ACCESS_KEYS_PER_USER = 2;

function findAccessKey(user: User, id: string) {
  const key = user.accessKeys.find((k) => k.id === id);
  if (!key)
    throw new CloudError(
      "NoSuchEntity",
      `The Access Key with id ${id} cannot be found for user ${user.name}.`,
      404,
    );
  return key;
}

export function findPolicy(state: CloudState, name: string): Policy {
  const policy = state.policies.find((p) => p.name === name);
  if (!policy) throw noSuchEntity("policy", name);
  return policy;
}

export function policiesOf(state: CloudState, names: string[]): Policy[] {
  return names
    .map((n) => state.policies.find((p) => p.name === n))
    .filter((p): p is Policy => p !== undefined);
}

/** The user whose active key this is; InvalidClientTokenId / SignatureDoesNotMatch like real APIs. */
export function authenticate(state: CloudState, accessKeyId: string, secret: string): User {
  for (const user of state.users) {
    const key = user.accessKeys.find((k) => k.id === accessKeyId);
    if (!key) continue;
    if (!key.active)
      throw new CloudError(
        "InvalidClientTokenId",
        `The access key ID ${accessKeyId} is inactive.`,
        401,
      );
    if (key.secret !== secret)
      throw new CloudError(
        "SignatureDoesNotMatch",
        "The request signature we calculated does not match the signature you provided. Check your secret access key.",
        401,
      );
    return user;
  }
  throw new CloudError(
    "InvalidClientTokenId",
    "The security token included in the request is invalid.",
    401,
  );
}

/** A user's switch to a role: the role must trust the user and the user needs iam:AssumeRole on it. */
export function assumeRole(state: CloudState, user: User, roleName: string): Role {
  const role = state.roles.find((r) => r.name === roleName);
  const resource = `role/${roleName}`;
  const decision = evaluate(policiesOf(state, user.policies), "iam:AssumeRole", resource);
  if (!role || !decision.allowed || !role.trustedUsers.includes(user.name)) {
    throw new CloudError(
      "AccessDenied",
      `User: user/${user.name} is not authorized to perform: iam:AssumeRole on resource: ${resource}`,
      403,
    );
  }
  return role;
}

function parseStatements(params: Params): PolicyStatement[] {
  const text = str(params, "document");
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    throw new CloudError("MalformedPolicyDocument", "The policy document is not valid JSON.");
  }
  const statements =
    (raw as { statements?: unknown; Statement?: unknown })?.statements ??
    (raw as { Statement?: unknown })?.Statement;
  if (!Array.isArray(statements) || statements.length === 0)
    throw new CloudError(
      "MalformedPolicyDocument",
      'The policy document needs a non-empty "statements" list.',
    );
  return statements.map((s: Record<string, unknown>, i) => {
    const effect = s.effect ?? s.Effect;
    const toList = (v: unknown) =>
      typeof v === "string"
        ? [v]
        : Array.isArray(v) && v.every((x) => typeof x === "string")
          ? (v as string[])
          : undefined;
    const actions = toList(s.actions ?? s.Action);
    const resources = toList(s.resources ?? s.Resource) ?? ["*"];
    if ((effect !== "Allow" && effect !== "Deny") || !actions) {
      throw new CloudError(
        "MalformedPolicyDocument",
        `Statement ${i + 1}: "effect" must be "Allow" or "Deny" and "actions" a list of strings such as "compute:DescribeInstances".`,
      );
    }
    return { effect, actions, resources };
  });
}

function attachTarget(ctx: ActionContext, params: Params): { policies: string[]; label: string } {
  const user = params.user === undefined ? undefined : findUser(ctx.state, str(params, "user"));
  const role = params.role === undefined ? undefined : findRole(ctx.state, str(params, "role"));
  if ((user === undefined) === (role === undefined))
    throw invalidParameter("Give exactly one of --user and --role.");
  return user
    ? { policies: user.policies, label: `user/${user.name}` }
    : { policies: role!.policies, label: `role/${role!.name}` };
}

const principalParams = {
  policy: { kind: "string" as const, required: true, positional: true, help: "policy name" },
  user: { kind: "string" as const, help: "user name" },
  role: { kind: "string" as const, help: "role name" },
};

const decisionText = (decision: Decision): string =>
  decision.allowed
    ? "allowed"
    : decision.explicitDeny
      ? `explicitDeny (policy/${decision.explicitDeny.policy})`
      : "implicitDeny";

const policyView = (p: Policy) => ({
  name: p.name,
  description: p.description,
  statements: p.statements,
});

export const iamActions: ActionDef[] = [
  {
    name: "GetCallerIdentity",
    permission: "sts:GetCallerIdentity",
    group: "iam",
    verb: "whoami",
    summary: "Show who the credentials belong to.",
    params: {},
    resource: () => "*",
    run: (ctx) => ({ principal: ctx.caller.principal, region: ctx.region }),
  },
  {
    name: "ListUsers",
    permission: "iam:ListUsers",
    group: "iam",
    verb: "users",
    summary: "List users and their policies.",
    params: {},
    resource: () => "user/*",
    columns: ["name", "policies", "accessKeys"],
    run: ({ state }) => ({
      items: state.users.map((u) => ({
        name: u.name,
        policies: u.policies.join(","),
        accessKeys: u.accessKeys
          .filter((k) => k.active)
          .map((k) => k.id)
          .join(","),
      })),
    }),
  },
  {
    name: "CreateUser",
    permission: "iam:CreateUser",
    group: "iam",
    verb: "create-user",
    summary: "Create a user (no policies, no keys).",
    params: { name: { kind: "string", required: true, positional: true, help: "user name" } },
    resource: (p) => `user/${String(p.name)}`,
    run: ({ state }, params) => {
      const name = str(params, "name");
      if (!/^[\w+=,.@-]{1,64}$/.test(name))
        throw invalidParameter(`The user name '${name}' is invalid.`);
      if (state.users.some((u) => u.name === name))
        throw new CloudError("EntityAlreadyExists", `User with name ${name} already exists.`, 409);
      state.users.push({ name, policies: [], accessKeys: [] });
      return { name };
    },
  },
  {
    name: "CreateAccessKey",
    permission: "iam:CreateAccessKey",
    group: "iam",
    verb: "create-access-key",
    summary: "Make a new access key for a user (the secret is shown once).",
    params: { user: { kind: "string", required: true, positional: true, help: "user name" } },
    resource: (p) => `user/${String(p.user)}`,
    run: ({ state }, params) => {
      const user = findUser(state, str(params, "user"));
      if (user.accessKeys.length >= ACCESS_KEYS_PER_USER)
        throw new CloudError(
          "LimitExceeded",
          `Cannot exceed quota for AccessKeysPerUser: ${ACCESS_KEYS_PER_USER}`,
          409,
        );
      const key = {
        id: newId(state, "AK").toUpperCase().replace("-", ""),
        secret: newSecret(state, 40),
        active: true,
      };
      user.accessKeys.push(key);
      return { user: user.name, accessKeyId: key.id, secretAccessKey: key.secret };
    },
  },
  {
    name: "ListAccessKeys",
    permission: "iam:ListAccessKeys",
    group: "iam",
    verb: "access-keys",
    summary: "List a user's access keys, active and inactive.",
    params: { user: { kind: "string", required: true, positional: true, help: "user name" } },
    resource: (p) => `user/${String(p.user)}`,
    columns: ["accessKeyId", "status"],
    run: ({ state }, params) => {
      const user = findUser(state, str(params, "user"));
      return {
        user: user.name,
        items: user.accessKeys.map((k) => ({
          accessKeyId: k.id,
          status: k.active ? "Active" : "Inactive",
        })),
      };
    },
  },
  {
    name: "UpdateAccessKey",
    permission: "iam:UpdateAccessKey",
    group: "iam",
    verb: "update-access-key",
    summary: "Turn a user's access key off (--status Inactive) or on again (--status Active).",
    params: {
      user: { kind: "string", required: true, positional: true, help: "user name" },
      "access-key-id": { kind: "string", required: true, help: "the key's id (AKIA…)" },
      status: { kind: "string", required: true, help: "Active or Inactive" },
    },
    resource: (p) => `user/${String(p.user)}`,
    run: ({ state }, params) => {
      const user = findUser(state, str(params, "user"));
      const status = str(params, "status");
      if (status !== "Active" && status !== "Inactive")
        throw invalidParameter(
          `Invalid value '${status}' for status: expected Active or Inactive.`,
        );
      const key = findAccessKey(user, str(params, "access-key-id"));
      key.active = status === "Active";
      return { user: user.name, accessKeyId: key.id, status };
    },
  },
  {
    name: "DeleteAccessKey",
    permission: "iam:DeleteAccessKey",
    group: "iam",
    verb: "delete-access-key",
    summary: "Delete a user's access key for good.",
    params: {
      user: { kind: "string", required: true, positional: true, help: "user name" },
      "access-key-id": { kind: "string", required: true, help: "the key's id (AKIA…)" },
    },
    resource: (p) => `user/${String(p.user)}`,
    run: ({ state }, params) => {
      const user = findUser(state, str(params, "user"));
      const key = findAccessKey(user, str(params, "access-key-id"));
      user.accessKeys.splice(user.accessKeys.indexOf(key), 1);
      return { user: user.name, deleted: key.id };
    },
  },
  {
    name: "ListRoles",
    permission: "iam:ListRoles",
    group: "iam",
    verb: "roles",
    summary: "List roles, their policies and whom they trust.",
    params: {},
    resource: () => "role/*",
    columns: ["name", "policies", "trustedUsers"],
    run: ({ state }) => ({
      items: state.roles.map((r) => ({
        name: r.name,
        policies: r.policies.join(","),
        trustedUsers: r.trustedUsers.join(","),
      })),
    }),
  },
  {
    name: "UpdateAssumeRolePolicy",
    permission: "iam:UpdateAssumeRolePolicy",
    group: "iam",
    verb: "update-trust",
    summary:
      "Replace whom a role trusts: --trusted-users ci,deploy-bot (each also needs iam:AssumeRole).",
    params: {
      role: { kind: "string", required: true, positional: true, help: "role name" },
      "trusted-users": {
        kind: "list",
        required: true,
        help: "the users that may assume it, comma-separated (all of them: the list is replaced)",
      },
    },
    resource: (p) => `role/${String(p.role)}`,
    run: ({ state }, params) => {
      const role = findRole(state, str(params, "role"));
      const users = [...new Set(list(params, "trusted-users", true).filter((u) => u !== ""))];
      if (users.length === 0) throw invalidParameter("Give at least one user in --trusted-users.");
      role.trustedUsers = users.map((u) => findUser(state, u).name);
      return { role: role.name, trustedUsers: role.trustedUsers.join(",") };
    },
  },
  {
    name: "ListPolicies",
    permission: "iam:ListPolicies",
    group: "iam",
    verb: "policies",
    summary: "List policies.",
    params: {},
    resource: () => "policy/*",
    columns: ["name", "statements", "description"],
    run: ({ state }) => ({
      items: state.policies.map((p) => ({
        name: p.name,
        statements: p.statements.length,
        description: p.description,
      })),
    }),
  },
  {
    name: "GetPolicy",
    permission: "iam:GetPolicy",
    group: "iam",
    verb: "get-policy",
    summary: "Show a policy's statements.",
    params: { policy: { kind: "string", required: true, positional: true, help: "policy name" } },
    resource: (p) => `policy/${String(p.policy)}`,
    run: ({ state }, params) => policyView(findPolicy(state, str(params, "policy"))),
  },
  {
    name: "CreatePolicy",
    permission: "iam:CreatePolicy",
    group: "iam",
    verb: "create-policy",
    summary:
      'Create a policy: --document \'{"statements":[{"effect":"Allow","actions":["compute:Describe*"],"resources":["*"]}]}\'.',
    params: {
      name: { kind: "string", required: true, positional: true, help: "policy name" },
      document: { kind: "string", required: true, help: "the policy as JSON" },
      description: { kind: "string", help: "what it is for" },
    },
    resource: (p) => `policy/${String(p.name)}`,
    run: ({ state }, params) => {
      const name = str(params, "name");
      if (state.policies.some((p) => p.name === name))
        throw new CloudError(
          "EntityAlreadyExists",
          `A policy called ${name} already exists. Duplicate names are not allowed.`,
          409,
        );
      const policy: Policy = {
        name,
        description: params.description === undefined ? "" : str(params, "description"),
        statements: parseStatements(params),
      };
      state.policies.push(policy);
      return policyView(policy);
    },
  },
  {
    name: "UpdatePolicy",
    permission: "iam:CreatePolicyVersion",
    group: "iam",
    verb: "update-policy",
    summary: "Replace a policy's statements with --document JSON.",
    params: {
      policy: { kind: "string", required: true, positional: true, help: "policy name" },
      document: { kind: "string", required: true, help: "the policy as JSON" },
    },
    resource: (p) => `policy/${String(p.policy)}`,
    run: ({ state }, params) => {
      const policy = findPolicy(state, str(params, "policy"));
      policy.statements = parseStatements(params);
      return policyView(policy);
    },
  },
  {
    name: "AttachPolicy",
    permission: "iam:AttachPolicy",
    group: "iam",
    verb: "attach-policy",
    summary: "Attach a policy to a --user or a --role.",
    params: principalParams,
    resource: (p) => `policy/${String(p.policy)}`,
    run: (ctx, params) => {
      const policy = findPolicy(ctx.state, str(params, "policy"));
      const target = attachTarget(ctx, params);
      if (target.policies.includes(policy.name))
        throw alreadyExists("policy attachment", `${policy.name} on ${target.label}`);
      target.policies.push(policy.name);
      return { attached: policy.name, to: target.label };
    },
  },
  {
    name: "DetachPolicy",
    permission: "iam:DetachPolicy",
    group: "iam",
    verb: "detach-policy",
    summary: "Detach a policy from a --user or a --role.",
    params: principalParams,
    resource: (p) => `policy/${String(p.policy)}`,
    run: (ctx, params) => {
      const name = str(params, "policy");
      const target = attachTarget(ctx, params);
      const index = target.policies.indexOf(name);
      if (index < 0)
        throw new CloudError(
          "NoSuchEntity",
          `Policy ${name} is not attached to ${target.label}.`,
          404,
        );
      target.policies.splice(index, 1);
      return { detached: name, from: target.label };
    },
  },
  {
    name: "SimulatePrincipalPolicy",
    permission: "iam:SimulatePrincipalPolicy",
    group: "iam",
    verb: "simulate",
    summary:
      "Would a --user or --role be allowed --action on --resource? (several, comma-separated: one row per pair)",
    params: {
      user: { kind: "string", help: "user name" },
      role: { kind: "string", help: "role name" },
      action: { kind: "list", required: true, help: "e.g. storage:AttachVolume" },
      resource: { kind: "list", help: "e.g. volume/vol-… (default *)" },
    },
    resource: (p) => (p.user !== undefined ? `user/${String(p.user)}` : `role/${String(p.role)}`),
    columns: ["action", "resource", "decision"],
    run: (ctx, params) => {
      const { policies, label } = attachTarget(ctx, { ...params, policy: "x" });
      const actions = list(params, "action", true);
      const resources = params.resource === undefined ? ["*"] : list(params, "resource", true);
      const applied = policiesOf(ctx.state, policies);
      const rows = actions.flatMap((action) =>
        resources.map((resource) => ({
          action,
          resource,
          decision: decisionText(evaluate(applied, action, resource)),
        })),
      );
      // NOTE: one pair answers as one object (as before); several answer as a list of rows.
      return rows.length === 1
        ? { principal: label, ...rows[0]! }
        : { principal: label, items: rows };
    },
  },
];
