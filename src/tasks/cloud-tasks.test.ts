// Unit tests of the cloud tasks' host-side graders: each loads, runs without error and fails the task as set up.
import { resolve } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { parseCloudJson } from "../cloud/initial/cloud-json";
import { buildInitialState } from "../cloud/initial/initial-state";
import { runCloudChecks } from "../cloud/queries";
import type { TaskBundle } from "../domain/task";
import { loadCatalogue } from "./node-loader";

const TASKS_DIR = resolve(import.meta.dirname, "../../tasks");
let cloudTasks: TaskBundle[];

beforeAll(async () => {
  const { tasks, errors } = await loadCatalogue(TASKS_DIR);
  expect(errors.map((e) => e.message)).toEqual([]);
  cloudTasks = tasks.filter((t) => t.meta.domain === "cloud");
});

describe("the cloud tasks' host-side checks", () => {
  it("exist for every cloud task", () => {
    expect(cloudTasks.length).toBeGreaterThan(0);
    expect(cloudTasks.filter((t) => !t.hostChecks).map((t) => t.meta.id)).toEqual([]);
  });

  it("run without error on the state as set up, and fail it", () => {
    for (const task of cloudTasks.filter((t) => t.hostChecks)) {
      const initial = buildInitialState(parseCloudJson(task.cloudJson!));
      const lines = runCloudChecks(task.hostChecks!, initial, initial);
      expect(
        lines.filter((l) => /cloud checks (failed|reported)/.test(l.text)),
        task.meta.id,
      ).toEqual([]);
      expect(
        lines.some((l) => !l.passed),
        `${task.meta.id} passes as set up`,
      ).toBe(true);
    }
  });
});
