// Unit tests of task.toml validation and its error messages.
import { describe, expect, it } from "vitest";
import { TaskLoadError } from "./errors";
import { parseTaskToml } from "./task-toml";

const GOOD = `
id = "nginx-reports-403"
title = "Reports page answers 403"
domain = "sysadmin"
difficulty = "easy"
tags = ["nginx"]
teaches = "chmod -R 777"
[limits]
agent_steps = 20
`;

describe("parseTaskToml", () => {
  it("reads the fields and fills in default limits", () => {
    const meta = parseTaskToml(GOOD, "task.toml", "nginx-reports-403");
    expect(meta).toMatchObject({ id: "nginx-reports-403", domain: "sysadmin", tags: ["nginx"] });
    expect(meta.limits).toEqual({
      agentSteps: 20,
      agentSeconds: 900,
      commandSeconds: 60,
      checkSeconds: 60,
    });
  });

  it("names the file, the field and what was expected", () => {
    const bad = GOOD.replace('"sysadmin"', '"databases"');
    expect(() => parseTaskToml(bad, "tasks/x/task.toml")).toThrow(TaskLoadError);
    expect(() => parseTaskToml(bad, "tasks/x/task.toml")).toThrow(
      /tasks\/x\/task.toml: domain: .*sysadmin/,
    );
    expect(() => parseTaskToml(GOOD, "t.toml", "other-name")).toThrow(
      /t.toml: id: expected "other-name"/,
    );
    expect(() => parseTaskToml("id = ", "t.toml")).toThrow(/t.toml: not valid TOML/);
  });
});
