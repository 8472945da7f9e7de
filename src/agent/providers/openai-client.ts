// LlmClient for OpenAI and OpenAI-compatible endpoints through the openai SDK (streamed chat completions).
import OpenAI from "openai";
import type {
  ChatCompletionChunk,
  ChatCompletionMessageParam,
  ChatCompletionTool,
} from "openai/resources/chat/completions";
import type {
  ChatChunk,
  ChatMessage,
  ChatRequest,
  ChatResponse,
  LlmClient,
  ReasoningField,
  TokenUsage,
  ToolCallRequest,
} from "../llm";
import type { ReasoningRequest } from "../reasoning";
import {
  PROVIDER_REQUEST_TIMEOUT_MS,
  rethrowSdkError,
  rethrowStreamError,
  type CallContext,
} from "./http-errors";

export const OPENAI_BASE_URL = "https://api.openai.com/v1";

export interface OpenAiClientOptions {
  provider: "openai" | "openai-compatible";
  apiKey: string;
  baseUrl: string;
  model: string;
  toolMode: "native" | "text";
  reasoning?: ReasoningRequest;
  maxOutputTokensPerTurn?: number;
}

/** NOTE: not in the SDK's types: DeepSeek and older vLLM stream `reasoning_content`, OpenRouter, Ollama and newer vLLM `reasoning`. */
type ReasoningDelta = Partial<Record<ReasoningField, unknown>>;
const REASONING_FIELDS: readonly ReasoningField[] = ["reasoning_content", "reasoning"];

/** The reasoning text of a streamed delta and the field it came in, from either field servers use. */
export function reasoningOfDelta(
  delta: ReasoningDelta,
): { field: ReasoningField; text: string } | undefined {
  for (const field of REASONING_FIELDS) {
    const text = delta[field];
    if (typeof text === "string" && text) return { field, text };
  }
  return undefined;
}

/**
 * A tool-call turn's reasoning as the server wants it back, in the field it came in ("" when the
 * turn had none). NOTE: DeepSeek's thinking mode refuses a later request without it.
 */
function reasoningBack(
  message: Extract<ChatMessage, { role: "assistant" }>,
  field: ReasoningField | undefined,
): Partial<Record<ReasoningField, string>> {
  const block = message.thinking?.find((b) => b.type === "reasoning_field");
  const to = block?.field ?? field;
  if (!to || message.toolCalls.length === 0) return {};
  return { [to]: block?.text ?? "" };
}

function toOpenAiMessages(
  request: ChatRequest,
  /** The field the server has streamed reasoning in, once it has. */
  field: ReasoningField | undefined,
): ChatCompletionMessageParam[] {
  const out: ChatCompletionMessageParam[] = [{ role: "system", content: request.system }];
  for (const message of request.messages) {
    if (message.role === "user") out.push({ role: "user", content: message.content });
    else if (message.role === "tool") {
      out.push({ role: "tool", tool_call_id: message.toolCallId, content: message.content });
    } else {
      out.push({
        role: "assistant",
        content: message.content || null,
        ...reasoningBack(message, field),
        ...(message.toolCalls.length > 0 && {
          tool_calls: message.toolCalls.map((call) => ({
            id: call.id,
            type: "function" as const,
            function: { name: call.name, arguments: call.argumentsJson },
          })),
        }),
      });
    }
  }
  return out;
}

function toOpenAiTools(request: ChatRequest): ChatCompletionTool[] | undefined {
  if (request.tools.length === 0) return undefined;
  return request.tools.map((tool) => ({
    type: "function",
    function: { name: tool.name, description: tool.description, parameters: tool.parameters },
  }));
}

export class OpenAiClient implements LlmClient {
  readonly provider: string;
  readonly model: string;
  readonly toolMode: "native" | "text";
  readonly reasoning?: ReasoningRequest;
  readonly maxOutputTokensPerTurn?: number;
  private readonly sdk: OpenAI;
  private answeredBefore = false;
  /** The field this server streams reasoning in, once it has (it then wants it back). */
  private reasoningField: ReasoningField | undefined;

  constructor(private readonly options: OpenAiClientOptions) {
    this.provider = options.provider;
    this.model = options.model;
    this.toolMode = options.toolMode;
    if (options.reasoning) this.reasoning = options.reasoning;
    if (options.maxOutputTokensPerTurn)
      this.maxOutputTokensPerTurn = options.maxOutputTokensPerTurn;
    this.sdk = new OpenAI({
      apiKey: options.apiKey,
      baseURL: options.baseUrl,
      // NOTE: the person's own key, called from their own browser; OpsLab has no server to proxy it.
      dangerouslyAllowBrowser: true,
      maxRetries: 0, // the agent loop retries, honouring Retry-After, and shows each retry
      timeout: PROVIDER_REQUEST_TIMEOUT_MS,
    });
  }

  private fail(error: unknown): never {
    rethrowSdkError(error, OpenAI, this.call());
  }

  private call(): CallContext {
    return {
      provider: this.provider,
      baseUrl: this.options.baseUrl,
      answeredBefore: this.answeredBefore,
    };
  }

  async *stream(request: ChatRequest, signal: AbortSignal): AsyncIterable<ChatChunk> {
    let stream: AsyncIterable<ChatCompletionChunk>;
    try {
      stream = await this.sdk.chat.completions.create(
        {
          model: this.model,
          messages: toOpenAiMessages(request, this.reasoningField),
          tools: toOpenAiTools(request),
          stream: true,
          stream_options: { include_usage: true },
          // NOTE: OpenAI's reasoning models refuse max_tokens; many compatible servers know only it.
          ...(this.options.provider === "openai"
            ? { max_completion_tokens: request.maxOutputTokens }
            : { max_tokens: request.maxOutputTokens }),
          ...(this.reasoning && { reasoning_effort: this.reasoning.effort }),
        },
        { signal },
      );
    } catch (error) {
      this.fail(error);
    }
    this.answeredBefore = true;

    let text = "";
    let reasoning = "";
    let stopReason = "";
    const usage: TokenUsage = { inputTokens: 0, outputTokens: 0 };
    const calls = new Map<number, ToolCallRequest>();
    try {
      for await (const chunk of stream) {
        if (chunk.usage) {
          usage.inputTokens = chunk.usage.prompt_tokens;
          usage.outputTokens = chunk.usage.completion_tokens;
          const reasoningTokens = chunk.usage.completion_tokens_details?.reasoning_tokens;
          if (typeof reasoningTokens === "number") usage.reasoningTokens = reasoningTokens;
        }
        const choice = chunk.choices[0];
        if (!choice) continue;
        if (choice.finish_reason) stopReason = choice.finish_reason;
        const delta = choice.delta;
        const thought = reasoningOfDelta(delta as ReasoningDelta);
        if (thought) {
          reasoning += thought.text;
          this.reasoningField = thought.field;
          yield { type: "reasoning", text: thought.text };
        }
        if (delta.content) {
          text += delta.content;
          yield { type: "text", text: delta.content };
        }
        for (const part of delta.tool_calls ?? []) {
          const call = calls.get(part.index) ?? { id: "", name: "", argumentsJson: "" };
          if (part.id) call.id = part.id;
          if (part.function?.name) call.name += part.function.name;
          if (part.function?.arguments) call.argumentsJson += part.function.arguments;
          calls.set(part.index, call);
        }
      }
    } catch (error) {
      rethrowStreamError(error, signal, OpenAI, this.call());
    }
    const toolCalls = [...calls.entries()]
      .sort(([a], [b]) => a - b)
      .map(([index, call]) => ({ ...call, id: call.id || `call-${index}` }));
    const response: ChatResponse = { text, toolCalls, usage, stopReason };
    if (reasoning && this.reasoningField) {
      response.reasoning = [{ text: reasoning, redacted: false }];
      response.thinking = [
        { type: "reasoning_field", field: this.reasoningField, text: reasoning },
      ];
    }
    yield { type: "done", response };
  }

  /** The endpoint's model ids, for the model picker; empty when it offers no list. */
  async listModels(signal: AbortSignal): Promise<string[]> {
    try {
      const ids: string[] = [];
      for await (const model of this.sdk.models.list({ signal })) ids.push(model.id);
      return ids.sort();
    } catch (error) {
      if (error instanceof OpenAI.APIError && error.status === 404) return [];
      this.fail(error);
    }
  }
}
