// Integration: the agent loop through the real openai and Anthropic SDKs against a local server, in the real VM.
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import type { RunLimits } from "../domain/run";
import { startNodeVm } from "../vm/driver/node-vm";
import type { V86Vm } from "../vm/driver/v86-vm";
import { runAgent, type AgentEvent } from "./loop";
import { createLlmClient } from "./providers/create-client";
import {
  startFakeLlmServer,
  type FakeLlmServer,
  type RecordedRequest,
  type ServerReply,
} from "./providers/testing/fake-llm-server";

const KEY = "sk-opslab-integration-7f3a9c2e51";
const LIMITS: RunLimits = {
  maxSteps: 8,
  maxSeconds: 300,
  maxTokens: 0,
  maxCostUsd: 0,
  commandSeconds: 20,
};

let vm: V86Vm;
let server: FakeLlmServer | undefined;

beforeAll(async () => {
  vm = await startNodeVm();
});
afterAll(async () => {
  await vm?.destroy();
});
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const call = (name: string, args: unknown) => ({
  name,
  arguments: typeof args === "string" ? args : JSON.stringify(args),
});
const runCommand = (command: string): ServerReply => ({
  kind: "turn",
  text: `Running ${command}`,
  toolCalls: [call("run_command", { command })],
});
const finish: ServerReply = { kind: "turn", toolCalls: [call("finish", { summary: "done" })] };

/** The text of the last tool result the model was sent, in either API's shape. */
function lastToolResult(request: RecordedRequest): string {
  const messages = request.body.messages as { role: string; content: unknown }[];
  const last = messages.at(-1)!;
  if (typeof last.content === "string") return last.content;
  const blocks = last.content as { type: string; content?: string }[];
  return blocks.find((b) => b.type === "tool_result")?.content ?? "";
}

async function play(
  answer: (request: RecordedRequest, index: number) => ServerReply,
  options: { kind?: "openai-compatible" | "anthropic"; limits?: Partial<RunLimits> } = {},
) {
  server = await startFakeLlmServer(answer);
  const kind = options.kind ?? "openai-compatible";
  const client = createLlmClient(
    {
      kind,
      baseUrl: kind === "anthropic" ? server.anthropicBaseUrl : server.openAiBaseUrl,
      model: "fake-model",
      toolMode: "native",
    },
    KEY,
  );
  const events: AgentEvent[] = [];
  for await (const event of runAgent({
    client,
    vm,
    instruction: "Check the machine.",
    limits: { ...LIMITS, ...options.limits },
    secrets: [KEY],
    retry: { rateLimitAttempts: 3, serverAttempts: 2, baseDelayMs: 100, maxDelayMs: 2_000 },
  })) {
    events.push(event);
  }
  return { events, last: events.at(-1), requests: server.requests };
}

const ofType = <T extends AgentEvent["type"]>(events: AgentEvent[], type: T) =>
  events.filter((e): e is Extract<AgentEvent, { type: T }> => e.type === type);

describe.each(["openai-compatible", "anthropic"] as const)("through the %s SDK", (kind) => {
  it("runs the model's commands and file writes in the VM and shows it the real results", async () => {
    const { events, last, requests } = await play(
      (_, index) =>
        (
          [
            runCommand("uname -m; id -u"),
            {
              kind: "turn",
              toolCalls: [call("write_file", { path: "/tmp/agent/note.txt", content: "héllo\n" })],
            },
            runCommand("cat /tmp/agent/note.txt; ls /nonexistent"),
            finish,
          ] satisfies ServerReply[]
        )[index] ?? finish,
      { kind },
    );
    expect(lastToolResult(requests[1]!)).toBe("exit code: 0\nstdout:\ni686\n0\n");
    expect(lastToolResult(requests[2]!)).toBe("wrote 7 bytes to /tmp/agent/note.txt");
    expect(lastToolResult(requests[3]!)).toMatch(
      /^exit code: 2\nstdout:\nhéllo\n\nstderr:\nls: cannot access '\/nonexistent': No such file or directory/,
    );
    expect(ofType(events, "text-delta").length).toBeGreaterThan(1);
    expect(ofType(events, "usage").at(-1)).toMatchObject({ totalTokens: 4 * 120 });
    expect(last).toMatchObject({ type: "finished", reason: "finished", summary: "done" });
  });
});

describe("provider failures", () => {
  it("waits out a 429 with Retry-After, then goes on", async () => {
    const { events, last } = await play((_, index) =>
      index === 0
        ? {
            kind: "error",
            status: 429,
            body: { error: { message: "Rate limit reached" } },
            headers: { "retry-after": "1" },
          }
        : finish,
    );
    expect(ofType(events, "retry")).toMatchObject([{ attempt: 1, waitMs: 1_000 }]);
    expect(last).toMatchObject({ reason: "finished" });
  });

  it("retries a connection dropped mid-answer, then goes on", async () => {
    const { events, last } = await play((_, index) =>
      index === 0 ? { kind: "drop", text: "Let me check the service status first." } : finish,
    );
    expect(ofType(events, "retry")[0]?.message).toContain("connection dropped mid-answer");
    expect(last).toMatchObject({ reason: "finished" });
  });

  it("ends the run on a 401 and says to check the key", async () => {
    const { events, last } = await play(() => ({
      kind: "error",
      status: 401,
      body: { error: { message: "Invalid API key" } },
    }));
    expect(ofType(events, "error")[0]).toMatchObject({ kind: "auth" });
    expect(ofType(events, "error")[0]?.message).toContain("check the API key in Settings");
    expect(last).toMatchObject({ reason: "provider-error" });
  });

  it("tells the model its tool-call JSON was malformed, and goes on", async () => {
    const { events, requests, last } = await play((_, index) =>
      index === 0
        ? { kind: "turn", toolCalls: [call("run_command", '{"command": "ls /')] }
        : finish,
    );
    expect(ofType(events, "tool-result")[0]?.outcome).toMatchObject({ kind: "rejected" });
    expect(lastToolResult(requests[1]!)).toContain("not valid JSON");
    expect(last).toMatchObject({ reason: "finished" });
  });

  it("stops a model that never finishes at the step limit, each command run for real", async () => {
    const { events, last } = await play(() => runCommand("cat /proc/sys/kernel/random/uuid"), {
      limits: { maxSteps: 3 },
    });
    const outputs = ofType(events, "tool-result").map(
      (e) => e.outcome.kind === "command" && e.outcome.stdout,
    );
    expect(new Set(outputs).size).toBe(3);
    expect(ofType(events, "limit")[0]).toMatchObject({ limit: "steps" });
    expect(last).toMatchObject({ reason: "limit" });
  });

  it("kills a hung command at its time limit and warns about it", async () => {
    const { events } = await play((_, index) => (index === 0 ? runCommand("sleep 300") : finish), {
      limits: { commandSeconds: 2 },
    });
    expect(ofType(events, "tool-result")[0]?.outcome).toMatchObject({
      exitCode: 124,
      timedOut: true,
    });
    expect(ofType(events, "warning")[0]).toMatchObject({ label: "hung-command", steps: [1] });
  });
});

describe("tool failures", () => {
  it("tells the model what the guest refused (a directory, a path under a file, a read-only place) and goes on", async () => {
    const write = (path: string): ServerReply => ({
      kind: "turn",
      toolCalls: [call("write_file", { path, content: "x\n" })],
    });
    const { events, requests, last } = await play(
      (_, index) =>
        (
          [
            runCommand("mkdir -p /mnt/ro && mount -t tmpfs -o ro tmpfs /mnt/ro"),
            write("/etc"),
            write("/etc/passwd/x"),
            write("/mnt/ro/x"),
            runCommand("umount /mnt/ro; head -c 5 /etc/passwd"),
            finish,
          ] satisfies ServerReply[]
        )[index] ?? finish,
    );
    const failed = ofType(events, "tool-result")
      .map((e) => e.outcome)
      .filter((o) => o.kind === "failed");
    expect(failed.map((o) => o.message)).toEqual([
      expect.stringMatching(/\/etc.*Is a directory/),
      expect.stringMatching(/File exists: .\/etc\/passwd.$/),
      expect.stringMatching(/Read-only file system/),
    ]);
    expect(lastToolResult(requests[2]!)).toMatch(/^error: .*Is a directory/);
    expect(lastToolResult(requests[4]!)).toMatch(/^error: .*Read-only file system/);
    expect(lastToolResult(requests[5]!)).toBe("exit code: 0\nstdout:\nroot:");
    expect(ofType(events, "error")).toEqual([]);
    expect(last).toMatchObject({ type: "finished", reason: "finished" });
  });
});

describe("the API key", () => {
  it("appears in no event, log line or error, even when the provider echoes it", async () => {
    const logged: unknown[] = [];
    const spies = (["log", "info", "warn", "error", "debug"] as const).map((level) =>
      vi.spyOn(console, level).mockImplementation((...args: unknown[]) => logged.push(args)),
    );
    try {
      const { events, requests } = await play((_, index) =>
        index === 0
          ? runCommand(`echo key=${"$"}{OPENAI_API_KEY:-none}; env | grep -c sk- || true`)
          : {
              kind: "error",
              status: 401,
              body: { error: { message: `Incorrect API key provided: ${KEY}.` } },
            },
      );
      expect(requests[0]?.headers.authorization).toBe(`Bearer ${KEY}`);
      expect(ofType(events, "tool-result")[0]?.outcome).toMatchObject({ stdout: "key=none\n0\n" });
      const artefacts = JSON.stringify({ events, logged });
      expect(artefacts).not.toContain(KEY);
      expect(artefacts).toContain("Incorrect API key provided: [redacted]");
    } finally {
      for (const spy of spies) spy.mockRestore();
    }
  });
});
