// Unit tests: a grader read as its checks, the helpers each calls, and names matched to printed lines.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { cloudChecksOf, libHelpers, namePattern, shellChecks } from "./grader-checks";

const lib = libHelpers(readFileSync("src/tasks/grader/lib.sh", "utf8"));

describe("shellChecks", () => {
  it("reads check lines in loops, and pass/fail with the lines before them", () => {
    const checks = shellChecks(
      [
        "source /run/opslab-grader/lib.sh",
        "# up: the site answers.",
        'up() { [ "$(http_status http://localhost/)" = 200 ]; }',
        "for unit in a b; do",
        '  check "$unit is enabled at boot" "enabled_at_boot $unit"',
        "done",
        "if up; then",
        '  pass "the site answers"',
        "else",
        '  fail "the site answers"',
        "fi",
        "finish",
      ].join("\n"),
      lib,
    );
    expect(
      checks.map((c) => [c.what, c.code, c.helpers.map((h) => `${h.from}:${h.name}`)]),
    ).toEqual([
      ["$unit is enabled at boot", "enabled_at_boot $unit", ["lib.sh:enabled_at_boot"]],
      [
        "the site answers",
        'if up; then\npass "the site answers"',
        ["check.sh:up", "lib.sh:http_status"],
      ],
    ]);
    expect(checks[1]!.helpers[0]!.gloss).toBe("the site answers.");
    expect(namePattern(checks[0]!.what, "check.sh").test("b is enabled at boot")).toBe(true);
    expect(namePattern(checks[0]!.what, "check.sh").test("b is enabled")).toBe(false);
  });
});

describe("cloudChecksOf", () => {
  it("reads each check(condition, passes as, fails as), nested templates included", () => {
    const [check] = cloudChecksOf(
      [
        'const lb = cloud.loadBalancer("shop");',
        "check(",
        '  lb?.state === "active",',
        '  "shop is active",',
        '  `shop is ${lb?.state ?? "gone"}: ${lb?.listeners.map((l) => `${l.port}`).join(", ")}`,',
        ");",
      ].join("\n"),
    );
    expect(check!.what).toBe("shop is active");
    expect(check!.code).toBe('lb?.state === "active"');
    expect(check!.helpers.map((h) => h.name)).toEqual(["cloud.loadBalancer"]);
    expect(
      namePattern(check!.otherNames[0]!, "cloud-checks.ts").test("shop is pending: 80, 443"),
    ).toBe(true);
  });
});
