// Reasoning models through the real SDKs against the local fake server: effort, limits, reasoning text and tokens, thinking sent back, cut-offs.
import { afterEach, describe, expect, it } from "vitest";
import type { RunEvent, RunLimits } from "../../domain/run";
import { FakeVm } from "../../vm/fake-vm";
import { completeTurn, type ChatChunk, type ChatRequest } from "../llm";
import { runAgent, type AgentEvent } from "../loop";
import type { EffortSetting } from "../reasoning";
import { createLlmClient, ProviderConfigError, type ProviderConfig } from "./create-client";
import type { ProviderKind } from "./presets";
import {
  startFakeLlmServer,
  type FakeLlmServer,
  type RecordedRequest,
  type ServerReply,
} from "./testing/fake-llm-server";

const KEY = "sk-unit-test-key-0123456789";
const REQUEST: ChatRequest = {
  system: "sys",
  messages: [{ role: "user", content: "fix it" }],
  tools: [],
  maxOutputTokens: 4_096,
};
const LIMITS: RunLimits = {
  maxSteps: 5,
  maxSeconds: 600,
  maxTokens: 0,
  maxCostUsd: 0,
  commandSeconds: 30,
};

let server: FakeLlmServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function serve(answer: ServerReply | ((r: RecordedRequest, i: number) => ServerReply)) {
  server = await startFakeLlmServer(typeof answer === "function" ? answer : () => answer);
  return server;
}

function clientOf(
  s: FakeLlmServer,
  kind: ProviderKind,
  model: string,
  extra: Partial<ProviderConfig> = {},
) {
  const baseUrl = kind === "anthropic" ? s.anthropicBaseUrl : s.openAiBaseUrl;
  return createLlmClient({ kind, baseUrl, model, toolMode: "native", ...extra }, KEY);
}

/** The body the client sent for one turn with the given effort. */
async function sentBody(kind: ProviderKind, model: string, effort: EffortSetting) {
  const s = await serve({ kind: "turn", text: "ok" });
  const client = clientOf(s, kind, model, { effort });
  await completeTurn(
    client,
    { ...REQUEST, maxOutputTokens: client.maxOutputTokensPerTurn ?? 0 },
    new AbortController().signal,
  );
  await s.close();
  server = undefined;
  return s.requests[0]!.body;
}

async function turnOf(s: FakeLlmServer, kind: ProviderKind) {
  const chunks: ChatChunk[] = [];
  const client = clientOf(s, kind, kind === "anthropic" ? "claude-haiku-4-5" : "deepseek-reasoner");
  for await (const chunk of client.stream(REQUEST, new AbortController().signal))
    chunks.push(chunk);
  const done = chunks.at(-1);
  if (done?.type !== "done") throw new Error("the turn did not end");
  return { chunks, response: done.response };
}

async function runOn(client: ReturnType<typeof createLlmClient>) {
  const vm = new FakeVm((command) => ({ stdout: `ran ${command}\n` }));
  const events: AgentEvent[] = [];
  for await (const event of runAgent({ client, vm, instruction: "Fix nginx.", limits: LIMITS }))
    events.push(event);
  return events;
}

const ofType = <T extends AgentEvent["type"]>(events: AgentEvent[], type: T) =>
  events.filter((e): e is Extract<AgentEvent, { type: T }> => e.type === type);

describe("effort and output limits in the request", () => {
  it("OpenAI: reasoning_effort and max_completion_tokens for a reasoning model, never max_tokens", async () => {
    const body = await sentBody("openai", "o4-mini", "high");
    expect(body.reasoning_effort).toBe("high");
    expect(body.max_completion_tokens).toBe(32_000);
    expect(body).not.toHaveProperty("max_tokens");
    const minimal = await sentBody("openai", "gpt-5-mini", "minimal");
    expect(minimal.reasoning_effort).toBe("minimal");
  });

  it("OpenAI: effort off sends no reasoning_effort; a plain model keeps 4,096 tokens a turn", async () => {
    const reasoningDefault = await sentBody("openai", "o3", "off");
    expect(reasoningDefault).not.toHaveProperty("reasoning_effort");
    expect(reasoningDefault.max_completion_tokens).toBe(32_000);
    const plain = await sentBody("openai", "gpt-4.1-mini", "off");
    expect(plain).not.toHaveProperty("reasoning_effort");
    expect(plain.max_completion_tokens).toBe(4_096);
  });

  it("OpenAI-compatible: reasoning_effort with max_tokens", async () => {
    const body = await sentBody("openai-compatible", "qwen3:8b", "low");
    expect(body.reasoning_effort).toBe("low");
    expect(body.max_tokens).toBe(16_384);
    expect(body).not.toHaveProperty("max_completion_tokens");
  });

  it("Anthropic: thinking with its budget, max_tokens above it, and no temperature", async () => {
    const body = await sentBody("anthropic", "claude-haiku-4-5", "medium");
    expect(body.thinking).toEqual({ type: "enabled", budget_tokens: 12_000 });
    expect(body.max_tokens).toBe(12_000 + 4_096);
    expect(body).not.toHaveProperty("temperature");
    const off = await sentBody("anthropic", "claude-haiku-4-5", "off");
    expect(off).not.toHaveProperty("thinking");
    expect(off.max_tokens).toBe(4_096);
  });

  it("Anthropic 4.6 onwards: adaptive thinking, its summary shown, at an effort (minimal is low)", async () => {
    const body = await sentBody("anthropic", "claude-opus-4-7", "high");
    expect(body.thinking).toEqual({ type: "adaptive", display: "summarized" });
    expect(body.output_config).toEqual({ effort: "high" });
    expect(body.max_tokens).toBe(32_000);
    const minimal = await sentBody("anthropic", "claude-sonnet-4-6", "minimal");
    expect(minimal.output_config).toEqual({ effort: "low" });
  });

  it("a person's own output limit is used, and one at or under the thinking budget is refused", () => {
    const config = {
      kind: "anthropic" as const,
      baseUrl: "https://api.anthropic.com",
      model: "claude-opus-4-1",
      toolMode: "native" as const,
    };
    expect(
      createLlmClient({ ...config, maxOutputTokensPerTurn: 30_000 }, KEY).maxOutputTokensPerTurn,
    ).toBe(30_000);
    expect(() =>
      createLlmClient({ ...config, effort: "high", maxOutputTokensPerTurn: 8_000 }, KEY),
    ).toThrow(ProviderConfigError);
    expect(() =>
      createLlmClient({ ...config, effort: "high", maxOutputTokensPerTurn: 8_000 }, KEY),
    ).toThrow(/more than the thinking budget of 24000/);
  });
});

describe("reasoning text and tokens from the response", () => {
  it.each(["reasoning_content", "reasoning"] as const)(
    "OpenAI-compatible `%s` streams as reasoning, apart from the text",
    async (field) => {
      const s = await serve({
        kind: "turn",
        reasoning: "The 403 means permissions; check the docroot.",
        reasoningField: field,
        text: "Checking.",
        reasoningTokens: 37,
        usage: [200, 60],
      });
      const { chunks, response } = await turnOf(s, "openai-compatible");
      const thought = chunks.filter((c) => c.type === "reasoning").map((c) => c.text);
      expect(thought.length).toBeGreaterThan(1);
      expect(thought.join("")).toBe("The 403 means permissions; check the docroot.");
      expect(response.text).toBe("Checking.");
      expect(response.reasoning).toEqual([
        { text: "The 403 means permissions; check the docroot.", redacted: false },
      ]);
      expect(response.usage).toEqual({ inputTokens: 200, outputTokens: 60, reasoningTokens: 37 });
    },
  );

  it("Anthropic thinking and redacted_thinking blocks, each kept with its signature or data", async () => {
    const s = await serve({
      kind: "turn",
      reasoning: "Look at the error log first.",
      redactedThinking: "ENCRYPTED==",
      text: "Reading the log.",
    });
    const { chunks, response } = await turnOf(s, "anthropic");
    expect(
      chunks
        .filter((c) => c.type === "reasoning")
        .map((c) => c.text)
        .join(""),
    ).toBe("Look at the error log first.");
    expect(response.reasoning).toEqual([
      { text: "Look at the error log first.", redacted: false },
      { text: "", redacted: true },
    ]);
    expect(response.thinking).toEqual([
      { type: "thinking", thinking: "Look at the error log first.", signature: "sig-28" },
      { type: "redacted_thinking", data: "ENCRYPTED==" },
    ]);
    expect(response.text).toBe("Reading the log.");
  });

  it("Anthropic's count of thinking tokens, where it gives one", async () => {
    const s = await serve({
      kind: "turn",
      reasoning: "x",
      text: "y",
      usage: [50, 90],
      reasoningTokens: 70,
    });
    const { response } = await turnOf(s, "anthropic");
    expect(response.usage).toEqual({ inputTokens: 50, outputTokens: 90, reasoningTokens: 70 });
  });

  it("reports a turn cut off at its limit with each provider's stop reason", async () => {
    const s = await serve({ kind: "turn", text: "I think", cutOff: true });
    expect((await turnOf(s, "anthropic")).response.stopReason).toBe("max_tokens");
    expect((await turnOf(s, "openai-compatible")).response.stopReason).toBe("length");
  });
});

describe("reasoning in a run", () => {
  it("Anthropic: thinking lands in the record apart from the text, and goes back unchanged in the next turn", async () => {
    const s = await serve((_, i) =>
      i === 0
        ? {
            kind: "turn",
            reasoning: "Probably nginx is down.",
            redactedThinking: "SECRET==",
            text: "Let me look.",
            toolCalls: [{ name: "run_command", arguments: '{"command":"systemctl status nginx"}' }],
          }
        : { kind: "turn", toolCalls: [{ name: "finish", arguments: '{"summary":"done"}' }] },
    );
    const events = await runOn(clientOf(s, "anthropic", "claude-haiku-4-5", { effort: "low" }));
    const reasoning = ofType(events, "reasoning");
    expect(reasoning.map((e) => [e.kind, e.text])).toEqual([
      ["thinking", "Probably nginx is down."],
      ["redacted-thinking", ""],
      [undefined, "Let me look."],
    ]);
    const deltas = ofType(events, "text-delta");
    expect(
      deltas
        .filter((d) => d.thinking)
        .map((d) => d.text)
        .join(""),
    ).toBe("Probably nginx is down.");
    expect(
      deltas
        .filter((d) => !d.thinking)
        .map((d) => d.text)
        .join(""),
    ).toBe("Let me look.");

    const second = s.requests[1]!.body as { messages: { role: string; content: unknown[] }[] };
    expect(second.messages[1]).toEqual({
      role: "assistant",
      content: [
        { type: "thinking", thinking: "Probably nginx is down.", signature: "sig-23" },
        { type: "redacted_thinking", data: "SECRET==" },
        { type: "text", text: "Let me look." },
        {
          type: "tool_use",
          id: "toolu_3",
          name: "run_command",
          input: { command: "systemctl status nginx" },
        },
      ],
    });
  });

  it.each(["reasoning_content", "reasoning"] as const)(
    "OpenAI-compatible: reasoning kept in the record and sent back on tool-call turns in `%s`, the field it came in",
    async (field) => {
      const call = (command: string) => [
        { name: "run_command", arguments: JSON.stringify({ command }) },
      ];
      const s = await serve((_, i) =>
        i === 0
          ? {
              kind: "turn",
              reasoning: "Check the port.",
              reasoningField: field,
              toolCalls: call("ss -ltn"),
            }
          : i === 1
            ? { kind: "turn", toolCalls: call("ip a") }
            : { kind: "turn", toolCalls: [{ name: "finish", arguments: '{"summary":"done"}' }] },
      );
      const events = await runOn(clientOf(s, "openai-compatible", "deepseek-reasoner"));
      expect(ofType(events, "reasoning")).toMatchObject([
        { kind: "thinking", text: "Check the port." },
      ]);
      type Sent = { role: string; tool_calls?: unknown[] } & Record<string, unknown>;
      const assistant = (i: number) =>
        (s.requests[i]!.body.messages as Sent[]).filter((m) => m.role === "assistant");
      expect(assistant(1).map((m) => m[field])).toEqual(["Check the port."]);
      // A tool-call turn without reasoning still carries the field once the server has reasoned.
      expect(assistant(2).map((m) => m[field])).toEqual(["Check the port.", ""]);
      const other = field === "reasoning" ? "reasoning_content" : "reasoning";
      expect(assistant(2).some((m) => other in m)).toBe(false);
    },
  );

  it("OpenAI-compatible: a server that never reasoned gets no reasoning field back", async () => {
    const s = await serve((_, i) =>
      i === 0
        ? { kind: "turn", toolCalls: [{ name: "run_command", arguments: '{"command":"ls"}' }] }
        : { kind: "turn", toolCalls: [{ name: "finish", arguments: '{"summary":"done"}' }] },
    );
    await runOn(clientOf(s, "openai-compatible", "llama3"));
    const sent = JSON.stringify(s.requests[1]!.body);
    expect(sent).not.toContain("reasoning");
  });

  it("counts reasoning tokens into the run's usage, priced as output", async () => {
    const s = await serve((_, i) =>
      i === 0
        ? {
            kind: "turn",
            reasoningTokens: 300,
            usage: [1_000, 400],
            toolCalls: [{ name: "run_command", arguments: '{"command":"ls"}' }],
          }
        : {
            kind: "turn",
            reasoningTokens: 100,
            usage: [1_500, 200],
            toolCalls: [{ name: "finish", arguments: '{"summary":"done"}' }],
          },
    );
    const client = clientOf(s, "openai", "o4-mini", { effort: "medium" });
    const vm = new FakeVm(() => ({ stdout: "" }));
    const events: AgentEvent[] = [];
    const prices = { "o4-mini": { inputUsdPerMTok: 1, outputUsdPerMTok: 10 } };
    for await (const event of runAgent({ client, vm, instruction: "x", limits: LIMITS, prices }))
      events.push(event);
    const usage = ofType(events, "usage").at(-1)!;
    expect(usage).toMatchObject({
      inputTokens: 2_500,
      outputTokens: 600,
      reasoningTokens: 400,
      totalTokens: 3_100,
    });
    // 2,500 input at $1/M and 600 output (400 of them reasoning) at $10/M
    expect(usage.costUsd).toBeCloseTo(0.0085, 10);
  });

  it("a turn cut off at its output limit says so, runs none of its half-written call, and the run goes on", async () => {
    const s = await serve((_, i) =>
      i === 0
        ? {
            kind: "turn",
            cutOff: true,
            toolCalls: [{ name: "run_command", arguments: '{"command":"rm -rf /va' }],
          }
        : { kind: "turn", toolCalls: [{ name: "finish", arguments: '{"summary":"done"}' }] },
    );
    const events = await runOn(clientOf(s, "openai", "o3", { effort: "high" }));
    const limit = ofType(events, "limit");
    expect(limit).toMatchObject([{ limit: "output", step: 1 }]);
    expect(limit[0]!.message).toMatch(/cut off at its output limit of 32,000 tokens/);
    expect(ofType(events, "tool-call").map((e) => e.input.tool)).toEqual(["finish"]);
    expect(events.at(-1)).toMatchObject({ type: "finished", reason: "finished" });
    const second = JSON.stringify(s.requests[1]!.body);
    expect(second).toContain("cut off at its output limit");
  });

  it("keeps only RunEvents a record can hold (reasoning kinds pass the schema)", async () => {
    const { runRecordSchema } = await import("../../domain/run-schema");
    const s = await serve({
      kind: "turn",
      reasoning: "hmm",
      redactedThinking: "x",
      toolCalls: [{ name: "finish", arguments: '{"summary":"s"}' }],
    });
    const events = await runOn(clientOf(s, "anthropic", "claude-haiku-4-5", { effort: "minimal" }));
    const kept = events.filter((e): e is RunEvent => e.type !== "text-delta");
    const record = {
      schemaVersion: 3,
      id: "r",
      createdAt: "2026-01-01T00:00:00Z",
      task: { id: "t", title: "T", domain: "sysadmin", difficulty: "easy" },
      agent: {
        provider: "anthropic",
        model: "claude-haiku-4-5",
        toolMode: "native",
        reasoning: { effort: "minimal", thinkingBudgetTokens: 1024 },
      },
      limits: LIMITS,
      events: kept,
    };
    expect(runRecordSchema.safeParse(record).success).toBe(true);
  });
});
