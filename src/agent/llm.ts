// The one interface the agent loop knows a model by: a streamed chat turn with optional tools.

export interface ToolSpec {
  name: string;
  description: string;
  /** JSON Schema of the arguments object. */
  parameters: Record<string, unknown>;
}

export interface ToolCallRequest {
  id: string;
  name: string;
  /** The arguments exactly as the model wrote them (may be malformed JSON). */
  argumentsJson: string;
}

export type ChatMessage =
  | { role: "user"; content: string }
  | { role: "assistant"; content: string; toolCalls: ToolCallRequest[] }
  | { role: "tool"; toolCallId: string; toolName: string; content: string };

export interface ChatRequest {
  system: string;
  messages: ChatMessage[];
  /** Tools the model may call; empty when the model plays the plain-text protocol. */
  tools: ToolSpec[];
  maxOutputTokens: number;
}

export interface TokenUsage {
  inputTokens: number;
  outputTokens: number;
}

export interface ChatResponse {
  text: string;
  toolCalls: ToolCallRequest[];
  usage: TokenUsage;
  /** The provider's own reason for stopping ("stop", "tool_calls", "length", "end_turn", ...). */
  stopReason: string;
}

/** What a streamed turn yields: text as it arrives, then the whole response once. */
export type ChatChunk = { type: "text"; text: string } | { type: "done"; response: ChatResponse };

export interface LlmClient {
  /** Provider name for display and records, e.g. "openai", "anthropic", "openai-compatible". */
  readonly provider: string;
  readonly model: string;
  /** Whether the model is driven with native tool calls or the plain-text protocol. */
  readonly toolMode: "native" | "text";
  /** One model turn. Throws a ProviderError (errors.ts) on failure; stops at once on abort. */
  stream(request: ChatRequest, signal: AbortSignal): AsyncIterable<ChatChunk>;
}

/** Drains a streamed turn and returns its response (for callers that do not show text live). */
export async function completeTurn(
  client: LlmClient,
  request: ChatRequest,
  signal: AbortSignal,
): Promise<ChatResponse> {
  for await (const chunk of client.stream(request, signal)) {
    if (chunk.type === "done") return chunk.response;
  }
  throw new Error(`${client.provider} ended the turn without a response`);
}
