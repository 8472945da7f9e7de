// The leaderboard of a suite: one row per agent setup (pass@1, pass@k, damage, refusals, steps, tokens, cost, time, tampered apart), by domain and difficulty, and each policy against none.
import { policyComparisons, type GroupResults, type Leaderboard } from "../../domain/leaderboard";
import { agentKey, policyName, type SuiteAgent } from "../../domain/suite";
import { dollars, seconds } from "../run/describe";

const percent = (rate: number | null) => (rate === null ? "—" : `${Math.round(rate * 100)}%`);
const oneDecimal = (n: number | null) => (n === null ? "—" : n.toFixed(1));
/** A difference of rates in percentage points, signed. */
const points = (delta: number | null) => {
  if (delta === null) return "—";
  const pts = Math.round(delta * 100);
  return pts === 0 ? "±0 pts" : `${pts > 0 ? "+" : "−"}${Math.abs(pts)} pts`;
};

/** A setup as a person reads it; the oracle says what it is, and its policy when it has one. */
export function agentName(agent: SuiteAgent): string {
  if (agent.provider !== "oracle") return agentKey(agent);
  return `Oracle (reference solution)${agent.policy ? ` · ${policyName(agent.policy)}` : ""}`;
}

function cost(group: GroupResults): string {
  if (group.totalCostUsd === null) return "no price";
  const unpriced = group.unpricedRuns ? ` (${group.unpricedRuns} runs without a price)` : "";
  return `${dollars(group.totalCostUsd)}${unpriced}`;
}

/** The cells every row has, after its name. */
function Figures({ group, trials }: { group: GroupResults; trials: number }) {
  return (
    <>
      <td data-col="passes">
        {group.passes}/{group.runs}
      </td>
      {Array.from({ length: trials }, (_, i) => (
        <td key={i} data-col={`pass@${i + 1}`}>
          {percent(group.passAtK[i] ?? null)}
        </td>
      ))}
      <td data-col="damage">{percent(group.damageRate)}</td>
      <td data-col="refused">{oneDecimal(group.meanRefused)}</td>
      <td data-col="tampered" className={group.tampered ? "fail" : undefined}>
        {group.tampered}
      </td>
      <td data-col="ungraded">{group.ungraded}</td>
      <td data-col="steps">{oneDecimal(group.meanSteps)}</td>
      <td data-col="tokens">{group.totalTokens.toLocaleString("en-US")}</td>
      <td data-col="cost">{cost(group)}</td>
      <td data-col="time">{group.meanDurationMs === null ? "—" : seconds(group.meanDurationMs)}</td>
    </>
  );
}

function Head({ first, trials }: { first: string; trials: number }) {
  return (
    <thead>
      <tr>
        <th scope="col">{first}</th>
        <th scope="col" title="Runs the grader passed, of the runs so far">
          Passed
        </th>
        {Array.from({ length: trials }, (_, i) => (
          <th
            key={i}
            scope="col"
            title={`Chance that at least one of ${i + 1} runs of a task passes (unbiased estimator), averaged over tasks`}
          >
            pass@{i + 1}
          </th>
        ))}
        <th
          scope="col"
          title="Runs labelled destructive-action (from the run's record alone; a heuristic)"
        >
          Damage
        </th>
        <th scope="col" title="Calls the command policy refused, per run">
          Refused/run
        </th>
        <th scope="col" title="Runs that changed what grading relies on: never counted as passed">
          Tampered
        </th>
        <th scope="col" title="Runs without a verdict (stopped in setup, Linux lost)">
          Not graded
        </th>
        <th scope="col">Mean steps</th>
        <th scope="col">Tokens</th>
        <th scope="col">Cost</th>
        <th scope="col">Mean time</th>
      </tr>
    </thead>
  );
}

function Breakdown({
  board,
  by,
  title,
}: {
  board: Leaderboard;
  by: "byDomain" | "byDifficulty";
  title: string;
}) {
  const rows = board.agents.flatMap((agent) =>
    Object.entries(agent[by]).map(([group, results]) => ({
      key: `${agent.key}|${group}`,
      name: board.agents.length > 1 ? `${group} · ${agentName(agent.agent)}` : group,
      results,
    })),
  );
  return (
    <table className="leaderboard" data-testid={`leaderboard-${by}`}>
      <caption>{title}</caption>
      <Head first={by === "byDomain" ? "Domain" : "Difficulty"} trials={board.trials} />
      <tbody>
        {rows.map((row) => (
          <tr key={row.key}>
            <th scope="row">{row.name}</th>
            <Figures group={row.results} trials={board.trials} />
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function LeaderboardTable({ board }: { board: Leaderboard }) {
  if (board.agents.length === 0)
    return <p className="muted">No results yet: the table fills in as the suite's runs finish.</p>;
  return (
    <div className="leaderboards">
      <table className="leaderboard" data-testid="leaderboard">
        <caption>Leaderboard (best first)</caption>
        <Head first="Agent" trials={board.trials} />
        <tbody>
          {board.agents.map((agent) => (
            <tr key={agent.key} data-agent={agent.key}>
              <th scope="row">{agentName(agent.agent)}</th>
              <Figures group={agent.all} trials={board.trials} />
            </tr>
          ))}
        </tbody>
      </table>
      <Breakdown board={board} by="byDomain" title="By domain" />
      <Breakdown board={board} by="byDifficulty" title="By difficulty" />
    </div>
  );
}

/** Each policy against the same model (and effort) without one: pass@1 and damage, and their deltas. */
export function PolicyComparisonTable({ board }: { board: Leaderboard }) {
  const comparisons = policyComparisons(board);
  if (comparisons.length === 0) return null;
  return (
    <table className="leaderboard" data-testid="policy-comparison">
      <caption>With vs without a policy (the same model without one)</caption>
      <thead>
        <tr>
          <th scope="col">Model</th>
          <th scope="col">Policy</th>
          <th scope="col">pass@1 with vs without</th>
          <th scope="col">Δ pass@1</th>
          <th scope="col">Damage with vs without</th>
          <th scope="col">Δ damage</th>
          <th scope="col">Refused/run</th>
          <th scope="col">Cost with vs without</th>
        </tr>
      </thead>
      <tbody>
        {comparisons.map((c) => (
          <tr key={c.withPolicy.key} data-agent={c.withPolicy.key}>
            <th scope="row">{agentName(c.base.agent)}</th>
            <td>{c.policy}</td>
            <td>
              {percent(c.withPolicy.all.passAt1)} vs {percent(c.base.all.passAt1)}
            </td>
            <td data-col="pass-delta">{points(c.passAt1Delta)}</td>
            <td>
              {percent(c.withPolicy.all.damageRate)} vs {percent(c.base.all.damageRate)}
            </td>
            <td data-col="damage-delta">{points(c.damageRateDelta)}</td>
            <td>{oneDecimal(c.meanRefused)}</td>
            <td>
              {cost(c.withPolicy.all)} vs {cost(c.base.all)}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
