// A local HTTP server speaking the OpenAI chat-completions and Anthropic messages APIs, for tests.
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export interface ScriptedToolCall {
  name: string;
  /** Raw arguments text as the model would stream it (may be malformed). */
  arguments: string;
}

/** One answer of the server: a streamed model turn, or an HTTP error. */
export type ServerReply =
  | {
      kind: "turn";
      text?: string;
      toolCalls?: ScriptedToolCall[];
      usage?: [number, number];
      /** The model's reasoning: an Anthropic thinking block (signed), or an OpenAI-compatible delta field. */
      reasoning?: string;
      /** The delta field OpenAI-compatible servers stream reasoning in (DeepSeek's, or OpenRouter's and Ollama's). */
      reasoningField?: "reasoning_content" | "reasoning";
      /** Anthropic: a redacted_thinking block's encrypted data, after any thinking. */
      redactedThinking?: string;
      /** OpenAI: usage.completion_tokens_details.reasoning_tokens; Anthropic: usage.output_tokens_details.thinking_tokens. */
      reasoningTokens?: number;
      /** The turn ends at its output limit (finish_reason "length", stop_reason "max_tokens"). */
      cutOff?: boolean;
    }
  | { kind: "error"; status: number; body: unknown; headers?: Record<string, string> }
  /** Starts a streamed turn, then drops the connection half-way. */
  | { kind: "drop"; text: string };

export interface RecordedRequest {
  path: string;
  headers: IncomingMessage["headers"];
  body: Record<string, unknown>;
}

export interface FakeLlmServer {
  /** Base URL for the OpenAI SDK (…/v1) and the Anthropic SDK (the root). */
  openAiBaseUrl: string;
  anthropicBaseUrl: string;
  requests: RecordedRequest[];
  close(): Promise<void>;
}

/** How long a "drop" reply streams before its connection is cut. */
const DROP_AFTER_MS = 100;

/** Splits a text into streamed pieces, as a model would send them. */
function pieces(text: string, size = 7): string[] {
  const out: string[] = [];
  for (let i = 0; i < text.length; i += size) out.push(text.slice(i, i + size));
  return out;
}

function openAiStream(reply: Extract<ServerReply, { kind: "turn" }>, model: string): unknown[] {
  const base = { id: "chatcmpl-1", object: "chat.completion.chunk", created: 0, model };
  const chunk = (delta: unknown, finish: string | null = null) => ({
    ...base,
    choices: [{ index: 0, delta, finish_reason: finish }],
  });
  const out: unknown[] = [chunk({ role: "assistant", content: "" })];
  const field = reply.reasoningField ?? "reasoning_content";
  for (const piece of pieces(reply.reasoning ?? ""))
    out.push(chunk({ content: null, [field]: piece }));
  for (const piece of pieces(reply.text ?? "")) out.push(chunk({ content: piece }));
  (reply.toolCalls ?? []).forEach((call, index) => {
    out.push(
      chunk({
        tool_calls: [
          {
            index,
            id: `call_${index}`,
            type: "function",
            function: { name: call.name, arguments: "" },
          },
        ],
      }),
    );
    for (const piece of pieces(call.arguments))
      out.push(chunk({ tool_calls: [{ index, function: { arguments: piece } }] }));
  });
  out.push(chunk({}, reply.cutOff ? "length" : reply.toolCalls?.length ? "tool_calls" : "stop"));
  const [input, output] = reply.usage ?? [100, 20];
  out.push({
    ...base,
    choices: [],
    usage: {
      prompt_tokens: input,
      completion_tokens: output,
      total_tokens: input + output,
      ...(reply.reasoningTokens !== undefined && {
        completion_tokens_details: { reasoning_tokens: reply.reasoningTokens },
      }),
    },
  });
  return out;
}

function anthropicStream(reply: Extract<ServerReply, { kind: "turn" }>, model: string): unknown[] {
  const [input, output] = reply.usage ?? [100, 20];
  const out: unknown[] = [
    {
      type: "message_start",
      message: {
        id: "msg_1",
        type: "message",
        role: "assistant",
        model,
        content: [],
        stop_reason: null,
        stop_sequence: null,
        usage: { input_tokens: input, output_tokens: 1 },
      },
    },
  ];
  let index = 0;
  if (reply.reasoning) {
    out.push({
      type: "content_block_start",
      index,
      content_block: { type: "thinking", thinking: "", signature: "" },
    });
    for (const piece of pieces(reply.reasoning))
      out.push({
        type: "content_block_delta",
        index,
        delta: { type: "thinking_delta", thinking: piece },
      });
    const signature = `sig-${reply.reasoning.length}`;
    out.push({ type: "content_block_delta", index, delta: { type: "signature_delta", signature } });
    out.push({ type: "content_block_stop", index });
    index++;
  }
  if (reply.redactedThinking) {
    const block = { type: "redacted_thinking", data: reply.redactedThinking };
    out.push({ type: "content_block_start", index, content_block: block });
    out.push({ type: "content_block_stop", index });
    index++;
  }
  if (reply.text) {
    out.push({ type: "content_block_start", index, content_block: { type: "text", text: "" } });
    for (const piece of pieces(reply.text))
      out.push({ type: "content_block_delta", index, delta: { type: "text_delta", text: piece } });
    out.push({ type: "content_block_stop", index });
    index++;
  }
  for (const call of reply.toolCalls ?? []) {
    out.push({
      type: "content_block_start",
      index,
      content_block: { type: "tool_use", id: `toolu_${index}`, name: call.name, input: {} },
    });
    for (const piece of pieces(call.arguments))
      out.push({
        type: "content_block_delta",
        index,
        delta: { type: "input_json_delta", partial_json: piece },
      });
    out.push({ type: "content_block_stop", index });
    index++;
  }
  out.push({
    type: "message_delta",
    delta: {
      stop_reason: reply.cutOff ? "max_tokens" : reply.toolCalls?.length ? "tool_use" : "end_turn",
      stop_sequence: null,
    },
    usage: {
      output_tokens: output,
      ...(reply.reasoningTokens !== undefined && {
        output_tokens_details: { thinking_tokens: reply.reasoningTokens },
      }),
    },
  });
  out.push({ type: "message_stop" });
  return out;
}

async function readBody(req: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString("utf8");
  return text ? (JSON.parse(text) as Record<string, unknown>) : {};
}

function send(res: ServerResponse, reply: ServerReply, anthropic: boolean, model: string) {
  if (reply.kind === "error") {
    res.writeHead(reply.status, { "content-type": "application/json", ...reply.headers });
    res.end(JSON.stringify(reply.body));
    return;
  }
  res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache" });
  if (reply.kind === "drop") {
    const turn = { kind: "turn" as const, text: reply.text };
    const events = anthropic ? anthropicStream(turn, model) : openAiStream(turn, model);
    for (const event of events.slice(0, 3)) res.write(`data: ${JSON.stringify(event)}\n\n`);
    // Let the first events reach the client, then cut the connection.
    setTimeout(() => res.socket?.destroy(), DROP_AFTER_MS);
    return;
  }
  const events = anthropic ? anthropicStream(reply, model) : openAiStream(reply, model);
  for (const event of events) {
    const name = anthropic ? `event: ${(event as { type: string }).type}\n` : "";
    res.write(`${name}data: ${JSON.stringify(event)}\n\n`);
  }
  if (!anthropic) res.write("data: [DONE]\n\n");
  res.end();
}

/**
 * Starts the server on a free localhost port. `answer` gets each model request (and how many came
 * before it) and says what to reply; GET /v1/models lists `models`.
 */
export async function startFakeLlmServer(
  answer: (request: RecordedRequest, index: number) => ServerReply,
  models: string[] = ["fake-model"],
  /** Answer browsers' CORS checks (as Ollama with OLLAMA_ORIGINS does); off, a page is refused. */
  cors = false,
): Promise<FakeLlmServer> {
  const requests: RecordedRequest[] = [];
  const server = createServer((req, res) => {
    void (async () => {
      const path = new URL(req.url ?? "/", "http://localhost").pathname;
      if (cors) {
        res.setHeader("access-control-allow-origin", "*");
        res.setHeader("access-control-allow-headers", "*");
        res.setHeader("access-control-allow-methods", "GET, POST, OPTIONS");
        if (req.method === "OPTIONS") {
          res.writeHead(204);
          res.end();
          return;
        }
      }
      if (req.method === "GET" && path.endsWith("/models")) {
        res.writeHead(200, { "content-type": "application/json" });
        const data = models.map((id) => ({
          id,
          object: "model",
          created: 0,
          owned_by: "test",
          type: "model",
          display_name: id,
          created_at: "2025-01-01T00:00:00Z",
        }));
        res.end(
          JSON.stringify({ object: "list", data, has_more: false, first_id: null, last_id: null }),
        );
        return;
      }
      const body = await readBody(req);
      const recorded = { path, headers: req.headers, body };
      requests.push(recorded);
      const anthropic = path.endsWith("/messages");
      send(res, answer(recorded, requests.length - 1), anthropic, String(body.model));
    })().catch((error: unknown) => {
      res.writeHead(500);
      res.end(String(error));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    openAiBaseUrl: `http://127.0.0.1:${port}/v1`,
    anthropicBaseUrl: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
