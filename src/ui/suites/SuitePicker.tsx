// Making a suite: tasks (by domain, difficulty, tag, or one by one) × agent setups (the oracle, Settings' models; policies, efforts) × trials, with its size and a rough time.
import { useMemo, useState, type Dispatch, type SetStateAction } from "react";
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

/** The effort in Settings, chosen at first for the models ("off" when it is none of the choices). */
const settingsEffort = (effort: string) =>
  new Set([
    (EFFORT_CHOICES as readonly string[]).includes(effort) ? effort : "off",
  ] as EffortChoice[]);

/** The chosen command policies in the list's order; "none" is no policy. */
const chosenPolicies = (presets: ReadonlySet<PolicyPreset>) =>
  POLICY_PRESETS.filter((p) => presets.has(p)).map((preset) =>
    preset === "none" ? undefined : { preset },
  );

/** The chosen efforts in the list's order; "off" asks for none. */
const chosenEfforts = (efforts: ReadonlySet<EffortChoice>) =>
  EFFORT_CHOICES.filter((e) => efforts.has(e)).map((e) =>
    e === "off" ? undefined : (e as ReasoningEffort),
  );

/** Which tasks the picker lists: by domain, difficulty and tag ("all": any). */
interface TaskFilter {
  domain: TaskDomain | "all";
  difficulty: TaskDifficulty | "all";
  tag: string;
}

const ANY_TASK: TaskFilter = { domain: "all", difficulty: "all", tag: "all" };

/** Whether `filter` lists the task. */
const matches = ({ meta }: TaskBundle, { domain, difficulty, tag }: TaskFilter) =>
  (domain === "all" || meta.domain === domain) &&
  (difficulty === "all" || meta.difficulty === difficulty) &&
  (tag === "all" || meta.tags.includes(tag));

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
  const [filter, setFilter] = useState(ANY_TASK);
  const [left, setLeft] = useState<ReadonlySet<string>>(new Set());
  const [oracle, setOracle] = useState(true);
  const [useModel, setUseModel] = useState(false);
  const [more, setMore] = useState("");
  const [trials, setTrials] = useState(1);
  const [presets, setPresets] = useState<ReadonlySet<PolicyPreset>>(new Set(["none"]));
  const [efforts, setEfforts] = useState<ReadonlySet<EffortChoice>>(settingsEffort(effort));

  const matching = tasks.filter((task) => matches(task, filter));
  const chosen = matching.filter((t) => !left.has(t.meta.id)).map((t) => t.meta.id);
  const models = [...new Set([...(useModel && model ? [model] : []), ...otherModels(more)])];
  // NOTE: in the order of the lists, so setups come out as the picker shows them.
  const agents = crossSetups(
    [...(oracle ? [ORACLE_AGENT] : []), ...models.map((m) => ({ provider, model: m }))],
    chosenPolicies(presets),
    chosenEfforts(efforts),
  );
  const spec: SuiteSpec = { tasks: chosen, agents, trials };
  const runs = suiteItems(spec).length;

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
      <TaskFields
        tasks={tasks}
        matching={matching}
        filter={filter}
        onFilter={setFilter}
        left={left}
        onLeft={setLeft}
      />
      <AgentFields
        provider={provider}
        model={model}
        oracle={oracle}
        onOracle={setOracle}
        useModel={useModel}
        onUseModel={setUseModel}
        more={more}
        onMore={setMore}
      />
      <SetupFields
        presets={presets}
        onPresets={setPresets}
        efforts={models.length > 0 ? efforts : undefined}
        onEfforts={setEfforts}
      />
      <TrialsField trials={trials} onTrials={setTrials} />
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

/** The "Tasks" section: the filters, and the matching tasks, each ticked unless left out. */
function TaskFields({
  tasks,
  matching,
  filter,
  onFilter,
  left,
  onLeft,
}: {
  tasks: TaskBundle[];
  matching: TaskBundle[];
  filter: TaskFilter;
  onFilter: Dispatch<SetStateAction<TaskFilter>>;
  /** The matching tasks left out of the suite, by id. */
  left: ReadonlySet<string>;
  onLeft: Dispatch<SetStateAction<ReadonlySet<string>>>;
}) {
  const toggle = (id: string) =>
    onLeft((s) => {
      const next = new Set(s);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });
  return (
    <fieldset>
      <legend>Tasks</legend>
      <TaskFilters tasks={tasks} filter={filter} onFilter={onFilter} />
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
  );
}

/** The tasks' filters: domain, difficulty, and the tags the tasks carry. */
function TaskFilters({
  tasks,
  filter,
  onFilter,
}: {
  tasks: TaskBundle[];
  filter: TaskFilter;
  onFilter: Dispatch<SetStateAction<TaskFilter>>;
}) {
  const tags = useMemo(() => [...new Set(tasks.flatMap((t) => t.meta.tags))].sort(), [tasks]);
  const choose = <K extends keyof TaskFilter>(key: K, value: TaskFilter[K]) =>
    onFilter((f) => ({ ...f, [key]: value }));
  return (
    <>
      <label>
        Domain{" "}
        <select
          aria-label="Domain"
          value={filter.domain}
          onChange={(e) => choose("domain", e.target.value as TaskDomain | "all")}
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
          value={filter.difficulty}
          onChange={(e) => choose("difficulty", e.target.value as TaskDifficulty | "all")}
        >
          <option value="all">all</option>
          {TASK_DIFFICULTIES.map((d) => (
            <option key={d}>{d}</option>
          ))}
        </select>
      </label>{" "}
      <label>
        Tag{" "}
        <select aria-label="Tag" value={filter.tag} onChange={(e) => choose("tag", e.target.value)}>
          <option value="all">all</option>
          {tags.map((t) => (
            <option key={t}>{t}</option>
          ))}
        </select>
      </label>
    </>
  );
}

/** The "Agents" section: the oracle, the model in Settings, other models of its provider. */
function AgentFields({
  provider,
  model,
  oracle,
  onOracle,
  useModel,
  onUseModel,
  more,
  onMore,
}: {
  provider: string;
  model: string;
  oracle: boolean;
  onOracle: (on: boolean) => void;
  useModel: boolean;
  onUseModel: (on: boolean) => void;
  /** Other models, as typed. */
  more: string;
  onMore: (text: string) => void;
}) {
  return (
    <fieldset>
      <legend>Agents</legend>
      <label>
        <input type="checkbox" checked={oracle} onChange={(e) => onOracle(e.target.checked)} />{" "}
        Oracle (the task's reference solution; no key)
      </label>
      <label>
        <input
          type="checkbox"
          checked={useModel}
          disabled={!model}
          onChange={(e) => onUseModel(e.target.checked)}
        />{" "}
        {model ? `${model} through ${provider} (from Settings)` : "Your model (set it in Settings)"}
      </label>
      <label>
        Other models of {provider}{" "}
        <input
          value={more}
          onChange={(e) => onMore(e.target.value)}
          placeholder="names, separated by commas"
        />
      </label>
    </fieldset>
  );
}

/** The "Setups" section: the command policies and (with a model in the suite) the efforts to cross. */
function SetupFields({
  presets,
  onPresets,
  efforts,
  onEfforts,
}: {
  presets: ReadonlySet<PolicyPreset>;
  onPresets: Dispatch<SetStateAction<ReadonlySet<PolicyPreset>>>;
  /** The efforts chosen; undefined when no model is in the suite (the oracle has none). */
  efforts: ReadonlySet<EffortChoice> | undefined;
  onEfforts: Dispatch<SetStateAction<ReadonlySet<EffortChoice>>>;
}) {
  return (
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
              onChange={(e) => onPresets((s) => flip(s, preset, e.target.checked))}
            />{" "}
            {preset}
          </label>
        ))}
      </p>
      {efforts && (
        <p>
          Reasoning effort{" "}
          {EFFORT_CHOICES.map((choice) => (
            <label key={choice}>
              <input
                type="checkbox"
                checked={efforts.has(choice)}
                data-suite-effort={choice}
                onChange={(e) => onEfforts((s) => flip(s, choice, e.target.checked))}
              />{" "}
              {choice}
            </label>
          ))}
        </p>
      )}
    </fieldset>
  );
}

/** How many trials of each task each agent runs (1 to MAX_TRIALS). */
function TrialsField({ trials, onTrials }: { trials: number; onTrials: (trials: number) => void }) {
  return (
    <label>
      Trials of each task by each agent{" "}
      <input
        type="number"
        min={1}
        max={MAX_TRIALS}
        value={trials}
        onChange={(e) =>
          onTrials(Math.min(MAX_TRIALS, Math.max(1, Math.round(Number(e.target.value)) || 1)))
        }
      />
    </label>
  );
}
