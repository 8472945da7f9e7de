// The agent loop: an async generator of run events over an LlmClient and a Vm, within limits.
import {
  approvalNeed,
  approvalTimeoutError,
  editNote,
  editedInput,
  inputText,
  rejectionText,
  timedOutText,
  type ApprovalAnswer,
  type ApprovalRecord,
  type ApprovalRequest,
  type Approver,
} from "../domain/approval";
import type { RunEvent, RunLimits, ToolInput, ToolOutcome } from "../domain/run";
import {
  judgeCommand,
  judgeWrite,
  policyError,
  type CommandPolicy,
  type PolicyDecision,
} from "../domain/policy/judge";
import { mayChangeMachine } from "../domain/shell/read-only";
import { timerDelayMs } from "../domain/timers";
import { VmError } from "../vm/errors";
import type { Vm } from "../vm/vm";
import { systemClock, type Clock } from "./clock";
import { detectFailures, type ActionRecord } from "../domain/detectors";
import { ProviderError } from "./errors";
import {
  CUT_OFF_STOP_REASONS,
  type ChatChunk,
  type ChatMessage,
  type ChatResponse,
  type LlmClient,
  type TokenUsage,
  type ToolCallRequest,
} from "./llm";
import { DEFAULT_PRICES, costUsd, type PriceTable } from "./prices";
import { systemPrompt, taskMessage } from "./prompt";
import { redactSecrets } from "./redact";
import { DEFAULT_RETRY_POLICY, retryDelayMs, type RetryPolicy } from "./retry";
import { TEXT_PROTOCOL_REMINDER, parseTextReply } from "./text-protocol";
import { TOOL_SPECS, describeOutcome, parseToolCall, runTool } from "./tools";

/** Output tokens one model turn may use. */
export const MAX_OUTPUT_TOKENS_PER_TURN = 4_096;
/** Replies in a row without any action before the run ends as "no-action". */
export const MAX_IDLE_REPLIES = 3;
/** How long a stopped run waits for the command it cancelled to end in the guest. */
export const CANCELLED_COMMAND_WAIT_MS = 10_000;
const NATIVE_REMINDER =
  "You did not call a tool. Use run_command to act, or finish when the task is done.";

const CUT_OFF_REMINDER =
  "Your reply was cut off at its output limit and nothing in it was run. Think more briefly and act: call one tool.";

/**
 * Events of a run, plus text as it streams in (shown live, not kept: the whole text follows as
 * "reasoning"); `thinking` marks the model's reasoning, apart from its visible text.
 */
export type AgentEvent =
  RunEvent | { type: "text-delta"; atMs: number; step: number; text: string; thinking?: true };

/** A streamed piece of a turn as a text-delta (without its time and step). */
function textDelta(chunk: Extract<ChatChunk, { type: "text" | "reasoning" }>) {
  return {
    type: "text-delta" as const,
    text: chunk.text,
    ...(chunk.type === "reasoning" && { thinking: true as const }),
  };
}

/** Adds a turn's tokens to the run's; reasoning tokens once any turn has counted them. */
function addUsage(total: TokenUsage, turn: TokenUsage): void {
  total.inputTokens += turn.inputTokens;
  total.outputTokens += turn.outputTokens;
  if (turn.reasoningTokens !== undefined)
    total.reasoningTokens = (total.reasoningTokens ?? 0) + turn.reasoningTokens;
}

/** A turn's reasoning events (without their time): its thinking, then its visible text. */
function reasoningEvents(
  step: number,
  response: ChatResponse,
): Extract<RunEvent, { type: "reasoning" }>[] {
  const thinking = (response.reasoning ?? []).map((part) =>
    part.redacted
      ? { type: "reasoning" as const, atMs: 0, step, text: "", kind: "redacted-thinking" as const }
      : { type: "reasoning" as const, atMs: 0, step, text: part.text, kind: "thinking" as const },
  );
  const shown = thinking.filter((event) => event.kind === "redacted-thinking" || event.text.trim());
  return response.text.trim()
    ? [...shown, { type: "reasoning", atMs: 0, step, text: response.text }]
    : shown;
}

function cutOffMessage(step: number, limitTokens: number): string {
  return `Step ${step}'s reply was cut off at its output limit of ${limitTokens.toLocaleString("en-US")} tokens; nothing in it was run, and the agent was asked to be briefer. Raise the max output per turn (Settings, or --max-output) if this repeats.`;
}

export interface AgentRunOptions {
  client: LlmClient;
  vm: Vm;
  instruction: string;
  /** What happened on the machine before the agent (a fork's earlier steps), told after the ticket. */
  history?: string;
  limits: RunLimits;
  prices?: PriceTable;
  /** End the run at the first live failure warning. */
  stopOnWarning?: boolean;
  /** Stops the run at once (the stop button). */
  signal?: AbortSignal;
  clock?: Clock;
  retry?: RetryPolicy;
  /** Strings that must never appear in an event (the API key). */
  secrets?: readonly string[];
  /** Asks the person about a call under approval mode (limits.approval); a run with it on needs one. */
  approve?: Approver;
}

/** Thrown inside the loop when the person stops the run or its time is up. */
class StopRun extends Error {}

/** The policy's verdict on a call: allow when the run has none or the call does nothing to the machine. */
function policyVerdict(
  policy: CommandPolicy | undefined,
  input: ToolInput,
  scripts: ReadonlyMap<string, string>,
): PolicyDecision {
  if (!policy) return { decision: "allow" };
  if (input.tool === "run_command") return judgeCommand(policy, input.command, scripts);
  if (input.tool === "write_file") return judgeWrite(policy, input.path);
  return { decision: "allow" };
}

/** A call the policy refused, or could not judge with nobody to ask, as its outcome. */
function refusal(verdict: Exclude<PolicyDecision, { decision: "allow" }>): ToolOutcome {
  const { part, reason } = verdict;
  return { kind: "refused", part, reason, unjudged: verdict.decision === "ask" };
}

/**
 * Keeps the text of a file the agent wrote. NOTE: a command that may change the machine may have
 * changed such a file too: every known text is forgotten then (the policy asks about `bash FILE`).
 */
function knowScripts(scripts: Map<string, string>, input: ToolInput, outcome: ToolOutcome): void {
  if (input.tool === "write_file" && outcome.kind === "file-written")
    scripts.set(input.path, input.content);
  else if (input.tool === "run_command" && mayChangeMachine(input)) scripts.clear();
}

/** Resolves when `promise` settles, however it does, or after `ms` at the latest. */
function settled(promise: Promise<unknown>, ms: number): Promise<void> {
  return new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, ms);
    const done = (): void => {
      clearTimeout(timer);
      resolve();
    };
    promise.then(done, done);
  });
}

/** What one call comes to before the VM: the input to run (edited or not), or an outcome instead. */
type Gate = { run: ToolInput; note?: string } | { outcome: ToolOutcome };

/** Why a run cannot start as asked (a policy rule that does not read, approval without a person), or null. */
function startProblem(options: AgentRunOptions): string | null {
  const { approval, policy } = options.limits;
  const wrongRule = policyError(policy);
  if (wrongRule) return wrongRule;
  if (!approval) return null;
  if (!options.approve)
    return "Approval mode is on but nobody is there to answer: run it from the Lab, or from a terminal with --approve.";
  return approvalTimeoutError(approval.timeoutSeconds);
}

/** Runs the agent until it finishes, hits a limit, is stopped or fails; never throws. */
export async function* runAgent(options: AgentRunOptions): AsyncGenerator<AgentEvent> {
  const secrets = options.secrets ?? [];
  for await (const event of new AgentLoop(options).run()) yield redactSecrets(event, secrets);
}

/** One run of the loop: its state (messages, usage, deadline) and its parts (a turn, a call). */
class AgentLoop {
  private readonly clock: Clock;
  private readonly started: number;
  /** NOTE: moves later by each wait for a person: time spent waiting does not count against the run. */
  private deadline: number;
  /** One controller ends whatever is in flight: the person's stop, or the wall-time limit. */
  private readonly controller = new AbortController();
  private endedBy: "stopped" | "time" | null = null;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private readonly messages: ChatMessage[];
  private readonly history: ActionRecord[] = [];
  /** The files the agent wrote whose text is still known, for the policy to read a `bash FILE`. */
  private readonly scripts = new Map<string, string>();
  private readonly usage: TokenUsage = { inputTokens: 0, outputTokens: 0 };
  private idleReplies = 0;
  private readonly maxOutputTokens: number;

  constructor(private readonly options: AgentRunOptions) {
    this.clock = options.clock ?? systemClock;
    this.started = this.clock.now();
    this.deadline = this.started + options.limits.maxSeconds * 1000;
    this.messages = [{ role: "user", content: taskMessage(options.instruction, options.history) }];
    this.maxOutputTokens = options.client.maxOutputTokensPerTurn ?? MAX_OUTPUT_TOKENS_PER_TURN;
  }

  private readonly at = () => Math.round(this.clock.now() - this.started);

  private readonly stop = () => {
    this.endedBy ??= "stopped";
    this.controller.abort(new Error("stopped"));
  };

  /** NOTE: a timer waits at most MAX_TIMER_DELAY_MS; a longer limit is waited for in spans of that. */
  private armDeadline(): void {
    const leftMs = this.deadline - this.clock.now();
    const spanMs = timerDelayMs(leftMs);
    this.timer = setTimeout(() => {
      if (spanMs < leftMs) return this.armDeadline();
      this.endedBy ??= "time";
      this.controller.abort(new Error("time limit"));
    }, spanMs);
  }

  /** Waits for `promise` unless the run is stopped or out of time first. */
  private guard<T>(promise: Promise<T>): Promise<T> {
    const signal = this.controller.signal;
    return new Promise<T>((resolve, reject) => {
      if (signal.aborted) return reject(new StopRun());
      const onAbort = () => reject(new StopRun());
      signal.addEventListener("abort", onAbort, { once: true });
      promise.then(resolve, reject).finally(() => {
        signal.removeEventListener("abort", onAbort);
      });
    });
  }

  private endEvents(): AgentEvent[] {
    const { at } = this;
    return this.endedBy === "time"
      ? [
          {
            type: "limit",
            atMs: at(),
            limit: "time",
            message: `The run reached its time limit of ${this.options.limits.maxSeconds} s.`,
          },
          { type: "finished", atMs: at(), reason: "limit" },
        ]
      : [{ type: "finished", atMs: at(), reason: "stopped" }];
  }

  async *run(): AsyncGenerator<AgentEvent> {
    const { client, limits, signal } = this.options;
    if (signal?.aborted) this.stop();
    signal?.addEventListener("abort", this.stop, { once: true });
    this.armDeadline();
    yield {
      type: "started",
      atMs: 0,
      provider: client.provider,
      model: client.model,
      limits,
      toolMode: client.toolMode,
    };
    try {
      const problem = startProblem(this.options);
      if (problem) {
        yield { type: "error", atMs: 0, kind: "internal", message: problem };
        yield { type: "finished", atMs: 0, reason: "internal-error" };
        return;
      }
      for (let step = 1; ; step++) {
        if (this.clock.now() >= this.deadline) this.endedBy ??= "time";
        if (this.endedBy || this.controller.signal.aborted) throw new StopRun();
        if (step > limits.maxSteps) {
          yield {
            type: "limit",
            atMs: this.at(),
            limit: "steps",
            message: `The agent used all ${limits.maxSteps} steps without finishing.`,
          };
          yield { type: "finished", atMs: this.at(), reason: "limit" };
          return;
        }
        const response = yield* this.modelTurn(step);
        if (!response) return;
        const calls = yield* this.readTurn(step, response);
        if (!calls) return;
        for (const call of calls) if (yield* this.handleCall(step, call)) return;
        if (yield* this.budgetSpent()) return;
      }
    } catch (error) {
      if (!(error instanceof StopRun)) {
        const message = error instanceof Error ? error.message : String(error);
        yield {
          type: "error",
          atMs: this.at(),
          kind: "internal",
          message: `Unexpected failure in the agent loop (a bug in OpsLab; please report it): ${message}`,
        };
        yield { type: "finished", atMs: this.at(), reason: "internal-error" };
        return;
      }
      yield* this.endEvents();
    } finally {
      clearTimeout(this.timer);
      signal?.removeEventListener("abort", this.stop);
    }
  }

  /** The model's turn, with retries for rate limits and server errors; null when the run ended. */
  private async *modelTurn(step: number): AsyncGenerator<AgentEvent, ChatResponse | null> {
    const { client } = this.options;
    const retry = this.options.retry ?? DEFAULT_RETRY_POLICY;
    let response: ChatResponse | undefined;
    for (let attempt = 1; !response; attempt++) {
      try {
        const request = {
          system: systemPrompt(client.toolMode),
          messages: this.messages,
          tools: client.toolMode === "native" ? TOOL_SPECS : [],
          maxOutputTokens: this.maxOutputTokens,
        };
        const turn = client.stream(request, this.controller.signal)[Symbol.asyncIterator]();
        for (;;) {
          const next = await this.guard(turn.next());
          if (next.done) break;
          if (next.value.type === "done") response = next.value.response;
          else yield { ...textDelta(next.value), atMs: this.at(), step };
        }
        if (!response)
          throw new ProviderError(
            "bad-response",
            client.provider,
            `${client.provider} ended the turn without an answer: try again.`,
            true,
          );
      } catch (error) {
        if (error instanceof StopRun || this.controller.signal.aborted) throw new StopRun();
        if (!(error instanceof ProviderError)) throw error;
        const waitMs = retryDelayMs(error, attempt, retry);
        if (waitMs === null) {
          yield { type: "error", atMs: this.at(), kind: error.kind, message: error.message };
          yield { type: "finished", atMs: this.at(), reason: "provider-error" };
          return null;
        }
        yield { type: "retry", atMs: this.at(), attempt, waitMs, message: error.message };
        await this.guard(this.clock.sleep(waitMs, this.controller.signal));
      }
    }
    return response;
  }

  /** Records a turn (usage, reasoning) and reads its calls; null when the run ended (no action). */
  private async *readTurn(
    step: number,
    response: ChatResponse,
  ): AsyncGenerator<AgentEvent, ToolCallRequest[] | null> {
    const { client } = this.options;
    const { at, usage } = this;
    addUsage(usage, response.usage);
    const totalTokens = usage.inputTokens + usage.outputTokens;
    const cost = costUsd(client.model, usage, this.options.prices ?? DEFAULT_PRICES);
    yield { type: "usage", atMs: at(), step, ...usage, totalTokens, costUsd: cost };
    for (const event of reasoningEvents(step, response)) yield { ...event, atMs: at() };

    // NOTE: a turn cut off at its output limit may end in a half-written call: none of it is run.
    const cutOff = CUT_OFF_STOP_REASONS.includes(response.stopReason);
    const calls: ToolCallRequest[] = cutOff
      ? []
      : client.toolMode === "native"
        ? response.toolCalls
        : [parseTextReply(response.text, `step-${step}`)].filter((c) => c !== null);
    this.messages.push({
      role: "assistant",
      content: response.text,
      toolCalls: client.toolMode === "native" ? calls : [],
      // A cut-off turn's last thinking block may lack its signature; a turn without calls needs none.
      ...(response.thinking && !cutOff && { thinking: response.thinking }),
    });
    if (cutOff) {
      const message = cutOffMessage(step, this.maxOutputTokens);
      yield { type: "limit", atMs: at(), step, limit: "output", message };
    }
    if (calls.length > 0) {
      this.idleReplies = 0;
      return calls;
    }
    this.idleReplies++;
    if (this.idleReplies >= MAX_IDLE_REPLIES) {
      yield { type: "finished", atMs: at(), reason: "no-action" };
      return null;
    }
    const reminder = cutOff
      ? CUT_OFF_REMINDER
      : client.toolMode === "native"
        ? NATIVE_REMINDER
        : TEXT_PROTOCOL_REMINDER;
    this.messages.push({ role: "user", content: reminder });
    return calls;
  }

  /** One call: asked for, judged, approved, run and told to the model; true when it ended the run. */
  private async *handleCall(
    step: number,
    call: ToolCallRequest,
  ): AsyncGenerator<AgentEvent, boolean> {
    const { at } = this;
    const input: ToolInput = parseToolCall(call);
    yield { type: "tool-call", atMs: at(), step, callId: call.id, input };
    if (input.tool === "finish") {
      const outcome = { kind: "finished" as const, summary: input.summary };
      yield { type: "tool-result", atMs: at(), step, callId: call.id, outcome };
      yield { type: "finished", atMs: at(), reason: "finished", summary: input.summary };
      return true;
    }
    const gate = yield* this.gate(step, call.id, input);
    // NOTE: a call refused by the policy or rejected by the person runs nothing: that is its outcome.
    const ran = "run" in gate ? gate.run : input;
    const outcome = "outcome" in gate ? gate.outcome : yield* this.runInVm(ran);
    if (!outcome) return true;
    yield { type: "tool-result", atMs: at(), step, callId: call.id, outcome };
    knowScripts(this.scripts, ran, outcome);
    const described = describeOutcome(outcome);
    const content = "note" in gate && gate.note ? `${gate.note}\n${described}` : described;
    this.messages.push(
      this.options.client.toolMode === "native"
        ? { role: "tool", toolCallId: call.id, toolName: call.name, content }
        : { role: "user", content },
    );
    this.history.push({ step, input: ran, outcome });
    const warnings = detectFailures(this.history);
    for (const warning of warnings) yield { type: "warning", atMs: at(), ...warning };
    if (warnings.length > 0 && this.options.stopOnWarning) {
      yield { type: "finished", atMs: at(), reason: "stuck" };
      return true;
    }
    return false;
  }

  /**
   * What a call comes to before it runs: the policy's refusal, the person's (or a rule's) decision
   * under approval mode, recorded as an "approval" event. NOTE: a policy refusal is never asked
   * about; an edited call runs as the person wrote it, without the policy judging it again.
   */
  private async *gate(
    step: number,
    callId: string,
    input: ToolInput,
  ): AsyncGenerator<AgentEvent, Gate> {
    const { approval, policy } = this.options.limits;
    const verdict = policyVerdict(policy, input, this.scripts);
    if (verdict.decision === "refuse") return { outcome: refusal(verdict) };
    if (!approval || (input.tool !== "run_command" && input.tool !== "write_file")) {
      return verdict.decision === "ask" ? { outcome: refusal(verdict) } : { run: input };
    }
    const need = approvalNeed(approval, policy, verdict, input);
    if (need.need === "none") return { run: input };
    const base = { step, callId, input };
    if (need.need === "rule") {
      const record: ApprovalRecord = {
        ...base,
        decision: "approved",
        by: "rule",
        rule: need.rule,
        waitedMs: 0,
      };
      yield { type: "approval", atMs: this.at(), ...record };
      return { run: input };
    }
    const request: ApprovalRequest = {
      ...base,
      asked: need.asked,
      timeoutSeconds: approval.timeoutSeconds,
    };
    const { answer, waitedMs } = await this.askPerson(request);
    const asked = { ...base, asked: need.asked, waitedMs };
    if (!answer) {
      yield { type: "approval", atMs: this.at(), ...asked, decision: "timed-out", by: "time-out" };
      return { outcome: { kind: "rejected", message: timedOutText(approval.timeoutSeconds) } };
    }
    if (answer.decision === "reject") {
      const message = answer.message?.trim();
      yield {
        type: "approval",
        atMs: this.at(),
        ...asked,
        decision: "rejected",
        by: "person",
        ...(message && { message }),
      };
      return { outcome: { kind: "rejected", message: rejectionText(message) } };
    }
    if (answer.decision === "edit" && answer.text !== inputText(input)) {
      const edited = editedInput(input, answer.text);
      yield {
        type: "approval",
        atMs: this.at(),
        ...asked,
        decision: "edited",
        by: "person",
        edited,
      };
      return { run: edited, note: editNote(input, edited) };
    }
    yield { type: "approval", atMs: this.at(), ...asked, decision: "approved", by: "person" };
    return { run: input };
  }

  /**
   * Waits for the person's answer (null: the time-out came first). NOTE: the run's time limit is
   * held while it waits, and its deadline moves by the wait; the person's stop ends the wait at once.
   */
  private async askPerson(
    request: ApprovalRequest,
  ): Promise<{ answer: ApprovalAnswer | null; waitedMs: number }> {
    const approve = this.options.approve;
    if (!approve) throw new Error("approval mode without an approver (checked at the start)");
    const asking = new AbortController();
    const stopAsking = () => asking.abort(new Error("the run stopped"));
    this.controller.signal.addEventListener("abort", stopAsking, { once: true });
    clearTimeout(this.timer);
    const since = this.clock.now();
    let timeout: ReturnType<typeof setTimeout> | undefined;
    const timedOut = new Promise<null>((resolve) => {
      if (request.timeoutSeconds > 0)
        timeout = setTimeout(() => resolve(null), timerDelayMs(request.timeoutSeconds * 1000));
    });
    try {
      const answer = await this.guard(Promise.race([approve(request, asking.signal), timedOut]));
      return { answer, waitedMs: Math.round(this.clock.now() - since) };
    } finally {
      clearTimeout(timeout);
      asking.abort(new Error("answered"));
      this.controller.signal.removeEventListener("abort", stopAsking);
      this.deadline += this.clock.now() - since;
      if (!this.controller.signal.aborted) this.armDeadline();
    }
  }

  /** Runs a call in the VM within the time left; null when the VM failed and ended the run. */
  private async *runInVm(input: ToolInput): AsyncGenerator<AgentEvent, ToolOutcome | null> {
    const remainingSeconds = Math.max(1, Math.floor((this.deadline - this.clock.now()) / 1000));
    const seconds = Math.min(this.options.limits.commandSeconds, remainingSeconds);
    // NOTE: the run's abort cancels the command in the guest; a stopped run ends once it has ended.
    const running = runTool(this.options.vm, input, seconds, this.controller.signal);
    try {
      return await this.guard(running);
    } catch (error) {
      if (error instanceof StopRun) {
        await settled(running, CANCELLED_COMMAND_WAIT_MS);
        throw error;
      }
      if (!(error instanceof VmError)) throw error;
      yield { type: "error", atMs: this.at(), kind: "vm", message: error.message };
      yield { type: "finished", atMs: this.at(), reason: "vm-error" };
      return null;
    }
  }

  /** Ends the run when it has used its tokens or money; true when it did. */
  private async *budgetSpent(): AsyncGenerator<AgentEvent, boolean> {
    const { client, limits } = this.options;
    const totalTokens = this.usage.inputTokens + this.usage.outputTokens;
    const cost = costUsd(client.model, this.usage, this.options.prices ?? DEFAULT_PRICES);
    const message =
      limits.maxTokens > 0 && totalTokens >= limits.maxTokens
        ? {
            limit: "tokens" as const,
            text: `The run used ${totalTokens} tokens, over its limit of ${limits.maxTokens}.`,
          }
        : limits.maxCostUsd > 0 && cost !== null && cost >= limits.maxCostUsd
          ? {
              limit: "cost" as const,
              text: `The run cost $${cost.toFixed(4)}, over its limit of $${limits.maxCostUsd}.`,
            }
          : null;
    if (!message) return false;
    yield { type: "limit", atMs: this.at(), limit: message.limit, message: message.text };
    yield { type: "finished", atMs: this.at(), reason: "limit" };
    return true;
  }
}
