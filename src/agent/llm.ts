// The one interface the agent loop knows a model by: a streamed chat turn with optional tools.
import type { ReasoningRequest } from "./reasoning";

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

/**
 * The model's thinking exactly as the provider sent it, to be sent back. NOTE: Anthropic wants a
 * tool-use turn's blocks back unchanged, signatures and all; DeepSeek's thinking mode wants a
 * tool-call turn's reasoning_content back in every later request (a 400 otherwise).
 */
export type ThinkingBlock =
  | { type: "thinking"; thinking: string; signature: string }
  | { type: "redacted_thinking"; data: string }
  /** OpenAI-compatible: the reasoning text and the message field the server streamed it in. */
  | { type: "reasoning_field"; field: ReasoningField; text: string };

/** The fields OpenAI-compatible servers put reasoning in. */
export type ReasoningField = "reasoning_content" | "reasoning";

/** A piece of the model's reasoning as shown: its text, or a block the provider redacted. */
export interface ReasoningPart {
  text: string;
  redacted: boolean;
}

export type ChatMessage =
  | { role: "user"; content: string }
  | {
      role: "assistant";
      content: string;
      toolCalls: ToolCallRequest[];
      /** The turn's thinking blocks, sent back to providers that want them (Anthropic). */
      thinking?: ThinkingBlock[];
    }
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
  /** Every output token, reasoning included: they are all priced as output. */
  outputTokens: number;
  /** Of the output tokens, those spent reasoning, where the provider counts them apart. */
  reasoningTokens?: number;
}

export interface ChatResponse {
  text: string;
  toolCalls: ToolCallRequest[];
  usage: TokenUsage;
  /** The provider's own reason for stopping ("stop", "tool_calls", "length", "end_turn", ...). */
  stopReason: string;
  /** The model's reasoning, where the provider returns it; apart from `text`, never sent back as text. */
  reasoning?: ReasoningPart[];
  /** The thinking blocks to send back with this turn (Anthropic). */
  thinking?: ThinkingBlock[];
}

/** Stop reasons of a turn cut off at its output limit (OpenAI's and Anthropic's). */
export const CUT_OFF_STOP_REASONS: readonly string[] = ["length", "max_tokens"];

/** What a streamed turn yields: text and reasoning as they arrive, then the whole response once. */
export type ChatChunk =
  | { type: "text"; text: string }
  | { type: "reasoning"; text: string }
  | { type: "done"; response: ChatResponse };

export interface LlmClient {
  /** Provider name for display and records, e.g. "openai", "anthropic", "openai-compatible". */
  readonly provider: string;
  readonly model: string;
  /** Whether the model is driven with native tool calls or the plain-text protocol. */
  readonly toolMode: "native" | "text";
  /** The reasoning each turn asks for; absent when none. */
  readonly reasoning?: ReasoningRequest;
  /** Output tokens one turn may use; absent: the loop's default (MAX_OUTPUT_TOKENS_PER_TURN). */
  readonly maxOutputTokensPerTurn?: number;
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
