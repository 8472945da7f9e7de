// An LlmClient that plays a script of turns: for tests, the oracle and demos without any key.
import type { ChatChunk, ChatRequest, ChatResponse, LlmClient, TokenUsage } from "./llm";

export interface ScriptedTurn {
  text?: string;
  /** Tool calls, with arguments as an object or as raw (possibly malformed) JSON text. */
  toolCalls?: { name: string; args: Record<string, unknown> | string }[];
  usage?: TokenUsage;
}

/** A turn, an error to throw instead, or a function of the request (to react to earlier results). */
export type ScriptStep = ScriptedTurn | Error | ((request: ChatRequest) => ScriptedTurn | Error);

const DEFAULT_USAGE: TokenUsage = { inputTokens: 0, outputTokens: 0 };

export class ScriptedClient implements LlmClient {
  readonly provider = "scripted";
  private next = 0;
  /** Every request the loop sent, for tests to inspect. */
  readonly requests: ChatRequest[] = [];

  constructor(
    private readonly script: ScriptStep[],
    readonly model = "scripted",
    readonly toolMode: "native" | "text" = "native",
  ) {}

  async *stream(request: ChatRequest, signal: AbortSignal): AsyncIterable<ChatChunk> {
    signal.throwIfAborted();
    this.requests.push(structuredClone(request));
    const step = this.script[this.next++];
    const turn: ScriptedTurn | Error =
      step === undefined
        ? { text: "", toolCalls: [{ name: "finish", args: { summary: "(end of script)" } }] }
        : typeof step === "function"
          ? step(request)
          : step;
    if (turn instanceof Error) throw turn;
    const response: ChatResponse = {
      text: turn.text ?? "",
      toolCalls: (turn.toolCalls ?? []).map((call, i) => ({
        id: `call-${this.next}-${i}`,
        name: call.name,
        argumentsJson: typeof call.args === "string" ? call.args : JSON.stringify(call.args),
      })),
      usage: turn.usage ?? DEFAULT_USAGE,
      stopReason: turn.toolCalls?.length ? "tool_calls" : "stop",
    };
    if (response.text) yield { type: "text", text: response.text };
    yield { type: "done", response };
  }
}
