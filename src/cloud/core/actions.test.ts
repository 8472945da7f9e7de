// Unit tests of the cloud's action list as the rest of the product reads it: which verbs only look.
import { describe, expect, it } from "vitest";
import { CLOUD_LOOKS } from "../../domain/shell/read-only";
import { ACTIONS } from "./actions";

/** An action that only reads, by its permission's verb (ec2:DescribeInstances, iam:ListUsers, ...). */
const looks = (permission: string) =>
  /^(List|Describe|Get|Test|Simulate|Lookup)/.test(permission.split(":")[1] ?? "");

describe("cloud actions", () => {
  it("name a verb read-only (the labels, the read-only policy) exactly when the action only reads", () => {
    const misread = ACTIONS.filter((a) => CLOUD_LOOKS.has(a.verb) !== looks(a.permission)).map(
      (a) => `${a.group} ${a.verb} (${a.permission})`,
    );
    expect(misread).toEqual([]);
  });
});
