// The provider clients through the real SDKs against a local fake server: streaming, tool calls, errors.
import { afterEach, describe, expect, it } from "vitest";
import { completeTurn, type ChatRequest } from "../llm";
import { ProviderError } from "../errors";
import { TOOL_SPECS } from "../tools";
import { createLlmClient, ProviderConfigError } from "./create-client";
import {
  startFakeLlmServer,
  type FakeLlmServer,
  type ServerReply,
} from "./testing/fake-llm-server";

const KEY = "sk-unit-test-key-0123456789";
const REQUEST: ChatRequest = {
  system: "sys",
  messages: [
    { role: "user", content: "fix it" },
    {
      role: "assistant",
      content: "",
      toolCalls: [{ id: "c1", name: "run_command", argumentsJson: '{"command":"ls"}' }],
    },
    { role: "tool", toolCallId: "c1", toolName: "run_command", content: "exit code: 0" },
    { role: "user", content: "go on" },
  ],
  tools: TOOL_SPECS,
  maxOutputTokens: 500,
};

let server: FakeLlmServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function serve(reply: ServerReply) {
  server = await startFakeLlmServer(() => reply, ["m-b", "m-a"]);
  return server;
}

const turn: ServerReply = {
  kind: "turn",
  text: "Looking at the logs.",
  toolCalls: [
    { name: "run_command", arguments: '{"command":"journalctl -u nginx"}' },
    { name: "finish", arguments: '{"summary":"x"}' },
  ],
  usage: [321, 45],
};

describe.each(["openai-compatible", "anthropic"] as const)("%s client", (kind) => {
  const client = (s: FakeLlmServer) =>
    createLlmClient(
      {
        kind,
        baseUrl: kind === "anthropic" ? s.anthropicBaseUrl : s.openAiBaseUrl,
        model: "m-a",
        toolMode: "native",
      },
      KEY,
    );

  it("streams text and assembles tool calls and usage", async () => {
    const s = await serve(turn);
    const deltas: string[] = [];
    let response;
    for await (const chunk of client(s).stream(REQUEST, new AbortController().signal)) {
      if (chunk.type === "text") deltas.push(chunk.text);
      else if (chunk.type === "done") response = chunk.response;
    }
    expect(deltas.length).toBeGreaterThan(1);
    expect(deltas.join("")).toBe("Looking at the logs.");
    expect(response?.toolCalls.map((c) => [c.name, c.argumentsJson])).toEqual([
      ["run_command", '{"command":"journalctl -u nginx"}'],
      ["finish", '{"summary":"x"}'],
    ]);
    expect(response?.usage).toEqual({ inputTokens: 321, outputTokens: 45 });
    const sent = s.requests[0]!;
    if (kind === "anthropic") {
      // NOTE: the SDK sends the key as x-api-key or as a bearer token, depending on its version.
      expect([sent.headers["x-api-key"], sent.headers.authorization]).toContain(
        sent.headers["x-api-key"] ? KEY : `Bearer ${KEY}`,
      );
      expect(sent.headers["anthropic-dangerous-direct-browser-access"]).toBe("true");
      // tool result and the following user text merge into one user turn
      expect((sent.body.messages as { role: string }[]).map((m) => m.role)).toEqual([
        "user",
        "assistant",
        "user",
      ]);
    } else {
      expect(sent.headers.authorization).toBe(`Bearer ${KEY}`);
      expect((sent.body.tools as unknown[]).length).toBe(3);
      expect(sent.body.stream).toBe(true);
    }
  });

  it("tells a rate limit (with its Retry-After) from a rejected key and a server error", async () => {
    const cases: [ServerReply, string, boolean, number | undefined][] = [
      [
        {
          kind: "error",
          status: 429,
          body: { error: { message: "slow down" } },
          headers: { "retry-after": "3" },
        },
        "rate-limit",
        true,
        3_000,
      ],
      [
        { kind: "error", status: 401, body: { error: { message: "bad key" } } },
        "auth",
        false,
        undefined,
      ],
      [
        { kind: "error", status: 503, body: { error: { message: "overloaded" } } },
        "server",
        true,
        undefined,
      ],
      [
        { kind: "error", status: 400, body: { error: { message: "no such model" } } },
        "bad-request",
        false,
        undefined,
      ],
    ];
    for (const [reply, kindOfError, retryable, retryAfterMs] of cases) {
      const s = await serve(reply);
      const error = await completeTurn(client(s), REQUEST, new AbortController().signal).catch(
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(ProviderError);
      expect(error).toMatchObject({ kind: kindOfError, retryable, retryAfterMs });
      await s.close();
      server = undefined;
    }
  });

  it("reports a server that is not there as a network error", async () => {
    const s = await serve(turn);
    await s.close();
    const error = await completeTurn(client(s), REQUEST, new AbortController().signal).catch(
      (e: unknown) => e,
    );
    expect(error).toMatchObject({ kind: "network", retryable: true });
    server = undefined;
  });

  it("lists the endpoint's models", async () => {
    const s = await serve(turn);
    const models = await client(s).listModels(new AbortController().signal);
    expect(models).toEqual(expect.arrayContaining(["m-a", "m-b"]));
  });
});

describe("createLlmClient", () => {
  it("refuses a key in the URL, a bad URL, and a missing key or model, saying what to do", () => {
    const base = {
      kind: "openai" as const,
      baseUrl: "https://api.openai.com/v1",
      model: "gpt-4o",
      toolMode: "native" as const,
    };
    expect(() => createLlmClient({ ...base, baseUrl: "https://x.test/v1?key=abc" }, KEY)).toThrow(
      /API key field/,
    );
    expect(() => createLlmClient({ ...base, baseUrl: "api.openai.com" }, KEY)).toThrow(
      ProviderConfigError,
    );
    expect(() => createLlmClient(base, " ")).toThrow(/Enter your openai API key/);
    expect(() => createLlmClient({ ...base, model: "" }, KEY)).toThrow(/Choose a model/);
    expect(
      createLlmClient(
        { ...base, kind: "openai-compatible", baseUrl: "http://localhost:11434/v1" },
        "",
      ).model,
    ).toBe("gpt-4o");
  });
});
