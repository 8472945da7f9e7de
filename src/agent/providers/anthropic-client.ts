// LlmClient for Anthropic's Messages API through its SDK, called straight from the browser.
import Anthropic from "@anthropic-ai/sdk";
import type {
  ContentBlockParam,
  MessageParam,
  RawMessageStreamEvent,
  Tool,
} from "@anthropic-ai/sdk/resources/messages/messages";
import type { ChatChunk, ChatMessage, ChatRequest, LlmClient, ToolCallRequest } from "../llm";
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

export class AnthropicClient implements LlmClient {
  readonly provider = "anthropic";
  readonly model: string;
  readonly toolMode: "native" | "text";
  private readonly sdk: Anthropic;
  private answeredBefore = false;

  constructor(private readonly options: AnthropicClientOptions) {
    this.model = options.model;
    this.toolMode = options.toolMode;
    this.sdk = new Anthropic({
      apiKey: options.apiKey,
      baseURL: options.baseUrl,
      // NOTE: sends anthropic-dangerous-direct-browser-access; the key is the person's own.
      dangerouslyAllowBrowser: true,
      maxRetries: 0,
      timeout: PROVIDER_REQUEST_TIMEOUT_MS,
    });
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
          stream: true,
        },
        { signal },
      );
    } catch (error) {
      this.fail(error);
    }
    this.answeredBefore = true;

    let text = "";
    let stopReason = "";
    const usage = { inputTokens: 0, outputTokens: 0 };
    const calls = new Map<number, ToolCallRequest>();
    try {
      for await (const event of stream) {
        switch (event.type) {
          case "message_start":
            usage.inputTokens = event.message.usage.input_tokens;
            usage.outputTokens = event.message.usage.output_tokens;
            break;
          case "content_block_start":
            if (event.content_block.type === "tool_use") {
              const { id, name } = event.content_block;
              calls.set(event.index, { id, name, argumentsJson: "" });
            }
            break;
          case "content_block_delta":
            if (event.delta.type === "text_delta") {
              text += event.delta.text;
              yield { type: "text", text: event.delta.text };
            } else if (event.delta.type === "input_json_delta") {
              const call = calls.get(event.index);
              if (call) call.argumentsJson += event.delta.partial_json;
            }
            break;
          case "message_delta":
            usage.outputTokens = event.usage.output_tokens;
            stopReason = event.delta.stop_reason ?? stopReason;
            break;
          default:
            break;
        }
      }
    } catch (error) {
      rethrowStreamError(error, signal, Anthropic, this.call());
    }
    const toolCalls = [...calls.entries()].sort(([a], [b]) => a - b).map(([, call]) => call);
    yield { type: "done", response: { text, toolCalls, usage, stopReason } };
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
