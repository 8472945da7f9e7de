// Integration: every task in tasks/ verifies in the real VM (grader fails after setup, passes after the solution).
import { resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startNodeVm } from "../vm/node-vm";
import type { V86Vm } from "../vm/v86-vm";
import { loadCatalogue, type Catalogue } from "./node-loader";
import { verifyTask } from "./verify";

const TASKS_DIR = resolve(import.meta.dirname, "../../tasks");
let vm: V86Vm;
let catalogue: Catalogue;

beforeAll(async () => {
  catalogue = await loadCatalogue(TASKS_DIR);
  vm = await startNodeVm();
});

afterAll(async () => {
  await vm?.destroy();
});

describe("the task catalogue", () => {
  it("loads every task folder without errors", () => {
    expect(catalogue.errors.map((e) => e.message)).toEqual([]);
    expect(catalogue.tasks.length).toBeGreaterThan(0);
  });

  it("verifies every task once from a fresh VM", { timeout: 900_000 }, async () => {
    const problems: string[] = [];
    for (const task of catalogue.tasks) {
      const report = await verifyTask(vm, task, 1);
      problems.push(...report.problems.map((p) => `${task.meta.id}: ${p}`));
    }
    expect(problems).toEqual([]);
  });
});
