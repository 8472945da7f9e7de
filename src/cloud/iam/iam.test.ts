// Unit tests of policy evaluation, denials that name the permission, keys and roles.
import { describe, expect, it } from "vitest";
import { callAs, fails, makeCloud, ok } from "../core/fixture";
import { denialMessage, evaluate, globMatch } from "./policy";
import type { Policy } from "../core/model";

const policy = (name: string, statements: Policy["statements"]): Policy => ({
  name,
  description: "",
  statements,
});

describe("evaluate", () => {
  const allowReads = policy("reads", [
    { effect: "Allow", actions: ["compute:Describe*"], resources: ["*"] },
  ]);
  const denyProd = policy("no-prod", [
    { effect: "Deny", actions: ["*"], resources: ["instance/prod-*"] },
  ]);

  it("allows what a statement allows, on matching resources, case-insensitively for actions", () => {
    expect(evaluate([allowReads], "compute:DescribeInstances", "instance/*")).toEqual({
      allowed: true,
    });
    expect(evaluate([allowReads], "COMPUTE:describeinstances", "instance/*").allowed).toBe(true);
    expect(evaluate([allowReads], "compute:RunInstances", "instance/*")).toEqual({
      allowed: false,
      explicitDeny: null,
    });
  });

  it("lets an explicit deny win over any allow", () => {
    expect(
      evaluate([allowReads, denyProd], "compute:DescribeInstances", "instance/prod-1"),
    ).toEqual({ allowed: false, explicitDeny: { policy: "no-prod" } });
    expect(
      evaluate([allowReads, denyProd], "compute:DescribeInstances", "instance/dev-1").allowed,
    ).toBe(true);
  });

  it("matches globs with * and ?, nothing else special", () => {
    expect(globMatch("vol-?", "vol-1")).toBe(true);
    expect(globMatch("vol-?", "vol-12")).toBe(false);
    expect(globMatch("a.b", "axb")).toBe(false);
  });

  it("words a denial like a real cloud, naming the missing permission", () => {
    expect(
      denialMessage("user/dev", "storage:AttachVolume", "volume/vol-1", {
        allowed: false,
        explicitDeny: null,
      }),
    ).toBe(
      "User: user/dev is not authorized to perform: storage:AttachVolume on resource: volume/vol-1 because no identity-based policy allows the storage:AttachVolume action",
    );
  });
});

describe("every API call is checked against the caller's policies", () => {
  it("refuses with AccessDenied naming the permission and resource", () => {
    const plane = makeCloud();
    const denied = fails(plane, "TerminateInstances", { instance: "i-web1" }, "viewer");
    expect(denied.code).toBe("AccessDenied");
    expect(denied.message).toMatch(
      /user\/viewer is not authorized to perform: compute:TerminateInstances on resource: instance\/i-web1/,
    );
    expect(callAs(plane, "viewer", "DescribeInstances").ok).toBe(true);
    expect(plane.state.instances[0]?.state).toBe("running");
  });

  it("names the policy of an explicit deny", () => {
    const denied = fails(makeCloud(), "TerminateInstances", { instance: "i-web1" }, "dev");
    expect(denied.message).toMatch(/explicit deny in an identity-based policy: policy\/dev/);
  });

  it("switches to a role the user may assume, and refuses one it may not", () => {
    const plane = makeCloud();
    expect(fails(plane, "ScaleDeployment", { deployment: "api", replicas: 3 }, "dev").code).toBe(
      "AccessDenied",
    );
    const asRole = callAs(
      plane,
      "dev",
      "ScaleDeployment",
      { deployment: "api", replicas: 3 },
      "deployer",
    );
    expect(asRole.ok).toBe(true);
    expect(plane.state.audit.at(-1)?.principal).toBe("role/deployer");
    const notTrusted = callAs(plane, "viewer", "DescribeInstances", {}, "deployer");
    expect(!notTrusted.ok && notTrusted.error.message).toMatch(
      /not authorized to perform: iam:AssumeRole on resource: role\/deployer/,
    );
  });

  it("replaces whom a role trusts, with users that exist, at once", () => {
    const plane = makeCloud();
    expect(
      fails(plane, "UpdateAssumeRolePolicy", { role: "deployer", "trusted-users": ["nobody"] })
        .code,
    ).toBe("NoSuchEntity");
    expect(
      fails(plane, "UpdateAssumeRolePolicy", { role: "ghost", "trusted-users": ["dev"] }).code,
    ).toBe("NoSuchEntity");
    expect(plane.state.roles[0]?.trustedUsers).toEqual(["dev"]);
    ok(plane, "UpdateAssumeRolePolicy", { role: "deployer", "trusted-users": ["viewer"] });
    expect(plane.state.roles[0]?.trustedUsers).toEqual(["viewer"]);
    const untrusted = callAs(
      plane,
      "dev",
      "ScaleDeployment",
      { deployment: "api", replicas: 3 },
      "deployer",
    );
    expect(!untrusted.ok && untrusted.error.code).toBe("AccessDenied");
    expect(fails(plane, "UpdateAssumeRolePolicy", { role: "deployer" }, "viewer").code).toBe(
      "AccessDenied",
    );
  });

  it("takes effect at once when a policy is attached, and a new key authenticates", () => {
    const plane = makeCloud();
    ok(plane, "CreateUser", { name: "ci" });
    const key = ok<{ accessKeyId: string; secretAccessKey: string }>(plane, "CreateAccessKey", {
      user: "ci",
    });
    const asCi = () =>
      plane.call({ credentials: { kind: "keys", ...key }, action: "DescribeVolumes", params: {} });
    expect(!asCi().ok && (asCi() as { error: { code: string } }).error.code).toBe("AccessDenied");
    ok(plane, "AttachPolicy", { policy: "readonly", user: "ci" });
    expect(asCi().ok).toBe(true);
    expect(fails(plane, "AttachPolicy", { policy: "readonly", user: "ci" }).code).toBe(
      "ResourceAlreadyExists",
    );
    ok(plane, "DetachPolicy", { policy: "readonly", user: "ci" });
    expect(asCi().ok).toBe(false);
  });

  it("rotates a key: two keys per user at most, an inactive key is refused, a deleted one unknown", () => {
    const plane = makeCloud();
    const asDev = (accessKeyId: string, secretAccessKey: string) =>
      plane.call({
        credentials: { kind: "keys", accessKeyId, secretAccessKey },
        action: "GetCallerIdentity",
        params: {},
      });
    const fresh = ok<{ accessKeyId: string; secretAccessKey: string }>(plane, "CreateAccessKey", {
      user: "dev",
    });
    expect(fails(plane, "CreateAccessKey", { user: "dev" }).message).toBe(
      "Cannot exceed quota for AccessKeysPerUser: 2",
    );
    expect(
      ok<{ items: { accessKeyId: string; status: string }[] }>(plane, "ListAccessKeys", {
        user: "dev",
      }).items,
    ).toEqual([
      { accessKeyId: "AKDEV", status: "Active" },
      { accessKeyId: fresh.accessKeyId, status: "Active" },
    ]);
    ok(plane, "UpdateAccessKey", { user: "dev", "access-key-id": "AKDEV", status: "Inactive" });
    const refused = asDev("AKDEV", "dev-secret");
    expect(!refused.ok && refused.error.message).toBe("The access key ID AKDEV is inactive.");
    expect(asDev(fresh.accessKeyId, fresh.secretAccessKey).ok).toBe(true);
    expect(
      fails(plane, "UpdateAccessKey", { user: "dev", "access-key-id": "AKDEV", status: "Off" })
        .code,
    ).toBe("InvalidParameterValue");
    expect(
      fails(plane, "UpdateAccessKey", {
        user: "viewer",
        "access-key-id": "AKDEV",
        status: "Active",
      }).code,
    ).toBe("NoSuchEntity");
    ok(plane, "DeleteAccessKey", { user: "dev", "access-key-id": "AKDEV" });
    const gone = asDev("AKDEV", "dev-secret");
    expect(!gone.ok && gone.error.message).toBe(
      "The security token included in the request is invalid.",
    );
    expect(ok(plane, "CreateAccessKey", { user: "dev" }).user).toBe("dev");
    expect(
      fails(
        plane,
        "UpdateAccessKey",
        { user: "dev", "access-key-id": "AKDEV", status: "Active" },
        "viewer",
      ).code,
    ).toBe("AccessDenied");
  });

  it("validates policy documents and simulates decisions", () => {
    const plane = makeCloud();
    expect(fails(plane, "CreatePolicy", { name: "bad", document: "{" }).code).toBe(
      "MalformedPolicyDocument",
    );
    expect(
      fails(plane, "CreatePolicy", {
        name: "bad",
        document: '{"statements":[{"effect":"Maybe","actions":["*"]}]}',
      }).code,
    ).toBe("MalformedPolicyDocument");
    ok(plane, "CreatePolicy", {
      name: "attach",
      document:
        '{"statements":[{"effect":"Allow","actions":["storage:AttachVolume"],"resources":["volume/*"]}]}',
    });
    expect(
      ok<{ decision: string }>(plane, "SimulatePrincipalPolicy", {
        user: "dev",
        action: "storage:AttachVolume",
        resource: "volume/vol-1",
      }).decision,
    ).toBe("implicitDeny");
    expect(
      ok<{ decision: string }>(plane, "SimulatePrincipalPolicy", {
        user: "dev",
        action: "compute:TerminateInstances",
        resource: "instance/i-1",
      }).decision,
    ).toBe("explicitDeny (policy/dev)");
    const rows = ok<{
      principal: string;
      items: { action: string; resource: string; decision: string }[];
    }>(plane, "SimulatePrincipalPolicy", {
      user: "dev",
      action: ["storage:AttachVolume", "compute:TerminateInstances"],
      resource: ["volume/vol-1", "instance/i-1"],
    });
    expect(rows.principal).toBe("user/dev");
    expect(rows.items.map((r) => `${r.action} ${r.resource} ${r.decision}`)).toEqual([
      "storage:AttachVolume volume/vol-1 implicitDeny",
      "storage:AttachVolume instance/i-1 implicitDeny",
      "compute:TerminateInstances volume/vol-1 explicitDeny (policy/dev)",
      "compute:TerminateInstances instance/i-1 explicitDeny (policy/dev)",
    ]);
    expect(fails(plane, "GetPolicy", { policy: "nope" }).code).toBe("NoSuchEntity");
  });
});
