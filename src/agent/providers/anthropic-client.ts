// LlmClient for Anthropic's Messages API through its SDK, called straight from the browser.
import Anthropic from "@anthropic-ai/sdk";
import type {
  ContentBlockParam,
  MessageCreateParamsStreaming,
  MessageParam,
  RawMessageStreamEvent,
  Tool,
} from "@anthropic-ai/sdk/resources/messages/messages";
import type {
  ChatChunk,
  ChatMessage,
  ChatRequest,
  ChatResponse,
  LlmClient,
  ThinkingBlock,
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

export const ANTHROPIC_BASE_URL = "https://api.anthropic.com";

export interface AnthropicClientOptions {
  apiKey: string;
  baseUrl: string;
  model: string;
  toolMode: "native" | "text";
  reasoning?: ReasoningRequest;
  maxOutputTokensPerTurn?: number;
}

/** Tool arguments as an object: Anthropic wants `input` parsed (a malformed call keeps its text). */
function toolInput(argumentsJson: string): Record<string, unknown> {
  try {
    const parsed: unknown = JSON.parse(argumentsJson || "{}");
    if (parsed && typeof parsed === "object" && !Array.isArray(parsed)) {
      return parsed as Record<string, unknown>;
    }
  } catch {
    // fall through
  }
  return { malformed_arguments: argumentsJson };
}

function blocksOf(message: ChatMessage): ContentBlockParam[] {
  switch (message.role) {
    case "user":
      return [{ type: "text", text: message.content }];
    case "tool":
      return [{ type: "tool_result", tool_use_id: message.toolCallId, content: message.content }];
    case "assistant":
      return [
        // NOTE: thinking first and unchanged, as Anthropic sent it (its signature checks it).
        ...(message.thinking ?? []).filter((block) => block.type !== "reasoning_field"),
        ...(message.content ? [{ type: "text" as const, text: message.content }] : []),
        ...message.toolCalls.map((call) => ({
          type: "tool_use" as const,
          id: call.id,
          name: call.name,
          input: toolInput(call.argumentsJson),
        })),
      ];
  }
}

/** NOTE: Anthropic wants user and assistant turns to alternate, so neighbours of one role merge. */
export function toAnthropicMessages(messages: ChatMessage[]): MessageParam[] {
  const out: { role: "user" | "assistant"; content: ContentBlockParam[] }[] = [];
  for (const message of messages) {
    const role = message.role === "assistant" ? "assistant" : "user";
    const blocks = blocksOf(message);
    if (blocks.length === 0) continue;
    const last = out.at(-1);
    if (last?.role === role) last.content.push(...blocks);
    else out.push({ role, content: blocks });
  }
  return out;
}

type AnthropicThinking = Exclude<ThinkingBlock, { type: "reasoning_field" }>;

/** A streamed turn put together event by event: text, thinking blocks, tool calls and usage. */
class TurnAssembly {
  private text = "";
  private stopReason = "";
  private readonly usage: TokenUsage = { inputTokens: 0, outputTokens: 0 };
  private readonly calls = new Map<number, ToolCallRequest>();
  private readonly thinking = new Map<number, AnthropicThinking>();

  /** Takes one event; returns what to stream on, if anything. */
  add(event: RawMessageStreamEvent): ChatChunk | undefined {
    switch (event.type) {
      case "message_start":
        this.usage.inputTokens = event.message.usage.input_tokens;
        this.usage.outputTokens = event.message.usage.output_tokens;
        return undefined;
      case "content_block_start": {
        const block = event.content_block;
        if (block.type === "tool_use")
          this.calls.set(event.index, { id: block.id, name: block.name, argumentsJson: "" });
        else if (block.type === "thinking")
          this.thinking.set(event.index, { type: "thinking", thinking: "", signature: "" });
        else if (block.type === "redacted_thinking")
          this.thinking.set(event.index, { type: "redacted_thinking", data: block.data });
        return undefined;
      }
      case "content_block_delta":
        return this.delta(event.index, event.delta);
      case "message_delta":
        // NOTE: output_tokens counts the thinking too; newer APIs also say how much of it was thinking.
        this.usage.outputTokens = event.usage.output_tokens;
        this.thinkingTokens(event.usage.output_tokens_details?.thinking_tokens);
        this.stopReason = event.delta.stop_reason ?? this.stopReason;
        return undefined;
      default:
        return undefined;
    }
  }

  private thinkingTokens(count: unknown): void {
    if (typeof count === "number") this.usage.reasoningTokens = count;
  }

  private delta(
    index: number,
    delta: Extract<RawMessageStreamEvent, { type: "content_block_delta" }>["delta"],
  ): ChatChunk | undefined {
    const block = this.thinking.get(index);
    switch (delta.type) {
      case "text_delta":
        this.text += delta.text;
        return { type: "text", text: delta.text };
      case "input_json_delta": {
        const call = this.calls.get(index);
        if (call) call.argumentsJson += delta.partial_json;
        return undefined;
      }
      case "thinking_delta":
        if (block?.type !== "thinking") return undefined;
        block.thinking += delta.thinking;
        return { type: "reasoning", text: delta.thinking };
      case "signature_delta":
        if (block?.type === "thinking") block.signature += delta.signature;
        return undefined;
      default:
        return undefined;
    }
  }

  response(): ChatResponse {
    const inOrder = <T>(map: Map<number, T>): T[] =>
      [...map.entries()].sort(([a], [b]) => a - b).map(([, value]) => value);
    const response: ChatResponse = {
      text: this.text,
      toolCalls: inOrder(this.calls),
      usage: this.usage,
      stopReason: this.stopReason,
    };
    const thinking = inOrder(this.thinking);
    if (thinking.length > 0) {
      response.thinking = thinking;
      response.reasoning = thinking.map((block) =>
        block.type === "thinking"
          ? { text: block.thinking, redacted: false }
          : { text: "", redacted: true },
      );
    }
    return response;
  }
}

export class AnthropicClient implements LlmClient {
  readonly provider = "anthropic";
  readonly model: string;
  readonly toolMode: "native" | "text";
  readonly reasoning?: ReasoningRequest;
  readonly maxOutputTokensPerTurn?: number;
  private readonly sdk: Anthropic;
  private answeredBefore = false;

  constructor(private readonly options: AnthropicClientOptions) {
    this.model = options.model;
    this.toolMode = options.toolMode;
    if (options.reasoning) this.reasoning = options.reasoning;
    if (options.maxOutputTokensPerTurn)
      this.maxOutputTokensPerTurn = options.maxOutputTokensPerTurn;
    this.sdk = new Anthropic({
      apiKey: options.apiKey,
      baseURL: options.baseUrl,
      // NOTE: sends anthropic-dangerous-direct-browser-access; the key is the person's own.
      dangerouslyAllowBrowser: true,
      maxRetries: 0,
      timeout: PROVIDER_REQUEST_TIMEOUT_MS,
    });
  }

  /**
   * Thinking as the model takes it: a fixed budget (up to Claude 4.5), or adaptive with an effort and
   * its thinking summarized to be shown (4.6 onwards; "minimal" is Anthropic's "low").
   */
  private thinkingParams(): Pick<MessageCreateParamsStreaming, "thinking" | "output_config"> {
    const reasoning = this.reasoning;
    if (!reasoning) return {};
    if (reasoning.thinkingBudgetTokens)
      return { thinking: { type: "enabled", budget_tokens: reasoning.thinkingBudgetTokens } };
    const effort = reasoning.effort === "minimal" ? "low" : reasoning.effort;
    return { thinking: { type: "adaptive", display: "summarized" }, output_config: { effort } };
  }

  private fail(error: unknown): never {
    rethrowSdkError(error, Anthropic, this.call());
  }

  private call(): CallContext {
    return {
      provider: this.provider,
      baseUrl: this.options.baseUrl,
      answeredBefore: this.answeredBefore,
    };
  }

  async *stream(request: ChatRequest, signal: AbortSignal): AsyncIterable<ChatChunk> {
    const tools: Tool[] = request.tools.map((tool) => ({
      name: tool.name,
      description: tool.description,
      input_schema: tool.parameters as Tool["input_schema"],
    }));
    let stream: AsyncIterable<RawMessageStreamEvent>;
    try {
      stream = await this.sdk.messages.create(
        {
          model: this.model,
          max_tokens: request.maxOutputTokens,
          system: request.system,
          messages: toAnthropicMessages(request.messages),
          ...(tools.length > 0 && { tools }),
          // NOTE: with thinking on, Anthropic refuses a temperature, top_k and a forced tool_choice: none is sent.
          ...this.thinkingParams(),
          stream: true,
        },
        { signal },
      );
    } catch (error) {
      this.fail(error);
    }
    this.answeredBefore = true;

    const turn = new TurnAssembly();
    try {
      for await (const event of stream) {
        const chunk = turn.add(event);
        if (chunk) yield chunk;
      }
    } catch (error) {
      rethrowStreamError(error, signal, Anthropic, this.call());
    }
    yield { type: "done", response: turn.response() };
  }

  async listModels(signal: AbortSignal): Promise<string[]> {
    try {
      const ids: string[] = [];
      for await (const model of this.sdk.models.list({}, { signal })) ids.push(model.id);
      return ids;
    } catch (error) {
      this.fail(error);
    }
  }
}
