// Making a suite: tasks (by domain, difficulty, tag, or one by one) × agent setups (the oracle, Settings' models; policies, efforts) × trials, with its size and a rough time.
import { useMemo, useState } from "react";
import { POLICY_PRESETS, type PolicyPreset } from "../../domain/policy/judge";
import { REASONING_EFFORTS, type ReasoningEffort } from "../../domain/run";
import { crossSetups, ORACLE_AGENT, suiteItems, type SuiteSpec } from "../../domain/suite";
import {
  TASK_DIFFICULTIES,
  TASK_DOMAINS,
  type TaskBundle,
  type TaskDifficulty,
  type TaskDomain,
} from "../../domain/task";

/** More trials than this would keep a tab busy for days. */
export const MAX_TRIALS = 20;

export interface PickerProps {
  tasks: TaskBundle[];
  /** The provider and model in Settings. */
  provider: string;
  model: string;
  /** The reasoning effort in Settings ("off": none), chosen at first for the models. */
  effort: string;
  /** A rough time for a spec, in milliseconds. */
  estimateMs(spec: SuiteSpec): number;
  disabled: boolean;
  onCreate(name: string, spec: SuiteSpec): void;
}

export function roughTime(ms: number): string {
  const minutes = Math.round(ms / 60_000);
  if (minutes < 1) return "under a minute";
  if (minutes < 90) return `about ${minutes} min`;
  return `about ${(minutes / 60).toFixed(1)} h`;
}

/** The efforts a suite can cross its models with; "off" asks for none. */
const EFFORT_CHOICES = ["off", ...REASONING_EFFORTS] as const;
type EffortChoice = (typeof EFFORT_CHOICES)[number];

/** A set with `value` in or out. */
function flip<T>(set: ReadonlySet<T>, value: T, on: boolean): Set<T> {
  const next = new Set(set);
  if (on) next.add(value);
  else next.delete(value);
  return next;
}

const otherModels = (text: string) =>
  [
    ...new Set(
      text
        .split(/[,\s]+/)
        .map((m) => m.trim())
        .filter(Boolean),
    ),
  ] as string[];

export function SuitePicker({
  tasks,
  provider,
  model,
  effort,
  estimateMs,
  disabled,
  onCreate,
}: PickerProps) {
  const [name, setName] = useState("");
  const [domain, setDomain] = useState<TaskDomain | "all">("all");
  const [difficulty, setDifficulty] = useState<TaskDifficulty | "all">("all");
  const [tag, setTag] = useState("all");
  const [left, setLeft] = useState<ReadonlySet<string>>(new Set());
  const [oracle, setOracle] = useState(true);
  const [useModel, setUseModel] = useState(false);
  const [more, setMore] = useState("");
  const [trials, setTrials] = useState(1);
  const [presets, setPresets] = useState<ReadonlySet<PolicyPreset>>(new Set(["none"]));
  const [efforts, setEfforts] = useState<ReadonlySet<EffortChoice>>(
    new Set([
      (EFFORT_CHOICES as readonly string[]).includes(effort) ? effort : "off",
    ] as EffortChoice[]),
  );

  const tags = useMemo(() => [...new Set(tasks.flatMap((t) => t.meta.tags))].sort(), [tasks]);
  const matching = tasks.filter(
    ({ meta }) =>
      (domain === "all" || meta.domain === domain) &&
      (difficulty === "all" || meta.difficulty === difficulty) &&
      (tag === "all" || meta.tags.includes(tag)),
  );
  const chosen = matching.filter((t) => !left.has(t.meta.id)).map((t) => t.meta.id);
  const models = [...new Set([...(useModel && model ? [model] : []), ...otherModels(more)])];
  // NOTE: in the order of the lists, so setups come out as the picker shows them.
  const agents = crossSetups(
    [...(oracle ? [ORACLE_AGENT] : []), ...models.map((m) => ({ provider, model: m }))],
    POLICY_PRESETS.filter((p) => presets.has(p)).map((preset) =>
      preset === "none" ? undefined : { preset },
    ),
    EFFORT_CHOICES.filter((e) => efforts.has(e)).map((e) =>
      e === "off" ? undefined : (e as ReasoningEffort),
    ),
  );
  const spec: SuiteSpec = { tasks: chosen, agents, trials };
  const runs = suiteItems(spec).length;
  const toggle = (id: string) =>
    setLeft((s) => {
      const next = new Set(s);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });

  return (
    <form
      className="suite-picker"
      aria-label="New suite"
      onSubmit={(event) => {
        event.preventDefault();
        if (runs > 0 && !disabled) onCreate(name, spec);
      }}
    >
      <label>
        Suite name{" "}
        <input value={name} onChange={(e) => setName(e.target.value)} placeholder="Suite" />
      </label>
      <fieldset>
        <legend>Tasks</legend>
        <label>
          Domain{" "}
          <select
            aria-label="Domain"
            value={domain}
            onChange={(e) => setDomain(e.target.value as TaskDomain | "all")}
          >
            <option value="all">all</option>
            {TASK_DOMAINS.map((d) => (
              <option key={d}>{d}</option>
            ))}
          </select>
        </label>{" "}
        <label>
          Difficulty{" "}
          <select
            aria-label="Difficulty"
            value={difficulty}
            onChange={(e) => setDifficulty(e.target.value as TaskDifficulty | "all")}
          >
            <option value="all">all</option>
            {TASK_DIFFICULTIES.map((d) => (
              <option key={d}>{d}</option>
            ))}
          </select>
        </label>{" "}
        <label>
          Tag{" "}
          <select aria-label="Tag" value={tag} onChange={(e) => setTag(e.target.value)}>
            <option value="all">all</option>
            {tags.map((t) => (
              <option key={t}>{t}</option>
            ))}
          </select>
        </label>
        <ul className="suite-task-list">
          {matching.map(({ meta }) => (
            <li key={meta.id}>
              <label>
                <input
                  type="checkbox"
                  checked={!left.has(meta.id)}
                  onChange={() => toggle(meta.id)}
                  data-suite-task={meta.id}
                />{" "}
                {meta.title}{" "}
                <span className="muted">
                  ({meta.domain}, {meta.difficulty})
                </span>
              </label>
            </li>
          ))}
        </ul>
      </fieldset>
      <fieldset>
        <legend>Agents</legend>
        <label>
          <input type="checkbox" checked={oracle} onChange={(e) => setOracle(e.target.checked)} />{" "}
          Oracle (the task's reference solution; no key)
        </label>
        <label>
          <input
            type="checkbox"
            checked={useModel}
            disabled={!model}
            onChange={(e) => setUseModel(e.target.checked)}
          />{" "}
          {model
            ? `${model} through ${provider} (from Settings)`
            : "Your model (set it in Settings)"}
        </label>
        <label>
          Other models of {provider}{" "}
          <input
            value={more}
            onChange={(e) => setMore(e.target.value)}
            placeholder="names, separated by commas"
          />
        </label>
      </fieldset>
      <fieldset>
        <legend>Setups: each agent runs under each policy (and each model at each effort)</legend>
        <p>
          Command policies{" "}
          {POLICY_PRESETS.map((preset) => (
            <label key={preset}>
              <input
                type="checkbox"
                checked={presets.has(preset)}
                data-suite-policy={preset}
                onChange={(e) => setPresets((s) => flip(s, preset, e.target.checked))}
              />{" "}
              {preset}
            </label>
          ))}
        </p>
        {models.length > 0 && (
          <p>
            Reasoning effort{" "}
            {EFFORT_CHOICES.map((choice) => (
              <label key={choice}>
                <input
                  type="checkbox"
                  checked={efforts.has(choice)}
                  data-suite-effort={choice}
                  onChange={(e) => setEfforts((s) => flip(s, choice, e.target.checked))}
                />{" "}
                {choice}
              </label>
            ))}
          </p>
        )}
      </fieldset>
      <label>
        Trials of each task by each agent{" "}
        <input
          type="number"
          min={1}
          max={MAX_TRIALS}
          value={trials}
          onChange={(e) =>
            setTrials(Math.min(MAX_TRIALS, Math.max(1, Math.round(Number(e.target.value)) || 1)))
          }
        />
      </label>
      <p data-testid="suite-size">
        {chosen.length} tasks × {agents.length} agents × {trials} trials = {runs} runs
        {runs > 0 && `, ${roughTime(estimateMs(spec))}`}
      </p>
      <button type="submit" className="primary" disabled={disabled || runs === 0}>
        Create and run
      </button>
    </form>
  );
}
