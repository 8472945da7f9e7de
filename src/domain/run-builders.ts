// Builders of run records for tests: a small finished run, changed where a test needs.
import { RUN_SCHEMA_VERSION, summarizeEvents, type RunRecord } from "./run";

export function makeRun(patch: Partial<RunRecord> = {}): RunRecord {
  const events: RunRecord["events"] = [
    {
      type: "usage",
      atMs: 10,
      step: 1,
      inputTokens: 50,
      outputTokens: 5,
      totalTokens: 55,
      costUsd: 0.01,
    },
    {
      type: "tool-call",
      atMs: 11,
      step: 1,
      callId: "c",
      input: { tool: "run_command", command: "ls" },
    },
    { type: "finished", atMs: 20, reason: "finished", summary: "ok" },
  ];
  return {
    schemaVersion: RUN_SCHEMA_VERSION,
    id: "r1",
    createdAt: "2026-01-01T00:00:00.000Z",
    task: { id: "t", title: "T", domain: "sysadmin", difficulty: "easy" },
    agent: { provider: "p", model: "m", toolMode: "native" },
    limits: { maxSteps: 5, maxSeconds: 60, maxTokens: 0, maxCostUsd: 0, commandSeconds: 10 },
    events,
    outcome: summarizeEvents(events),
    ...patch,
  };
}
