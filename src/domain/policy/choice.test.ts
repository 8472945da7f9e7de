// Unit tests of choosing a policy from names and rule texts, and of its short description.
import { describe, expect, it } from "vitest";
import { choosePolicy, describePolicy } from "./choice";

describe("choosePolicy", () => {
  it("gives no policy for none without rules, and keeps the rules that are not blank", () => {
    expect(choosePolicy("none")).toEqual({ policy: undefined });
    expect(choosePolicy("read-only", ["systemctl restart *", " "], [])).toEqual({
      policy: { preset: "read-only", allow: ["systemctl restart *"] },
    });
    expect(choosePolicy("none", [], ["rm -rf"])).toEqual({
      policy: { preset: "none", deny: ["rm -rf"] },
    });
  });

  it("refuses a preset it does not know and a rule that does not read, saying what to write", () => {
    expect(choosePolicy("strict")).toEqual({
      error: 'The policy is none, read-only, no-destructive; "strict" is none of them.',
    });
    expect(choosePolicy("none", [], ["rm; ls"])).toMatchObject({
      error: expect.stringMatching(/^The deny rule is wrong: .*one simple command/),
    });
    expect(choosePolicy("none", ["'open"])).toMatchObject({
      error: expect.stringMatching(/^The allow rule is wrong: .*quote is never closed/),
    });
    expect(choosePolicy("none", ["/bin/rm"])).toMatchObject({
      error: expect.stringMatching(/without its path/),
    });
  });
});

describe("describePolicy", () => {
  it("names the preset and counts the rules", () => {
    expect(describePolicy(undefined)).toBe("none");
    expect(describePolicy({ preset: "read-only" })).toBe("read-only");
    expect(describePolicy({ preset: "no-destructive", allow: ["a"], deny: ["b", "c"] })).toBe(
      "no-destructive + 1 allow, 2 deny rules",
    );
  });
});
