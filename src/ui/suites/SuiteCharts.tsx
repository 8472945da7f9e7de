// The suite's charts (visx, SVG): success by domain and difficulty, steps and cost distributions; every bar labelled in text.
import { AxisBottom } from "@visx/axis";
import { Group } from "@visx/group";
import { scaleBand, scaleLinear } from "@visx/scale";
import { Bar } from "@visx/shape";
import type { GroupResults, Leaderboard } from "../../domain/leaderboard";
import { policyName, type SuiteAgent } from "../../domain/suite";
import { dollars } from "../run/describe";
import { binValues, type Bin } from "./bins";

const CHART_WIDTH_PX = 420;
const ROW_HEIGHT_PX = 22;
const LABEL_WIDTH_PX = 170;
const VALUE_WIDTH_PX = 90;
const HISTOGRAM_HEIGHT_PX = 150;
const AXIS_HEIGHT_PX = 34;

interface SuccessRow {
  label: string;
  group: GroupResults;
}

/** Horizontal bars of pass@1 per group, each with its name and "67% (2/3)" written beside it. */
function SuccessBars({ title, rows }: { title: string; rows: SuccessRow[] }) {
  const height = rows.length * ROW_HEIGHT_PX;
  const barWidth = CHART_WIDTH_PX - LABEL_WIDTH_PX - VALUE_WIDTH_PX;
  const x = scaleLinear<number>({ domain: [0, 1], range: [0, barWidth] });
  const y = scaleBand<string>({
    domain: rows.map((r) => r.label),
    range: [0, height],
    padding: 0.2,
  });
  return (
    <figure className="suite-chart">
      <figcaption>{title}</figcaption>
      <svg width={CHART_WIDTH_PX} height={height} role="img" aria-label={title}>
        {rows.map(({ label, group }) => {
          const top = y(label) ?? 0;
          const rate = group.passAt1 ?? 0;
          return (
            <Group key={label} top={top}>
              <text x={0} y={y.bandwidth() / 2} dominantBaseline="middle" className="chart-label">
                {label}
              </text>
              <rect
                x={LABEL_WIDTH_PX}
                width={barWidth}
                height={y.bandwidth()}
                className="chart-track"
              />
              <Bar
                x={LABEL_WIDTH_PX}
                width={x(rate)}
                height={y.bandwidth()}
                className="chart-bar"
              />
              <text
                x={LABEL_WIDTH_PX + barWidth + 6}
                y={y.bandwidth() / 2}
                dominantBaseline="middle"
                className="chart-value"
              >
                {percent(group.passAt1)} ({group.passes}/{group.runs})
              </text>
            </Group>
          );
        })}
      </svg>
    </figure>
  );
}

/** Vertical bars of how many runs fall in each range, the count written over each bar. */
function Histogram({
  title,
  bins,
  format,
  empty,
}: {
  title: string;
  bins: Bin[];
  format: (bin: Bin) => string;
  empty: string;
}) {
  if (bins.length === 0)
    return (
      <figure className="suite-chart">
        <figcaption>{title}</figcaption>
        <p className="muted">{empty}</p>
      </figure>
    );
  const labels = bins.map(format);
  const plotHeight = HISTOGRAM_HEIGHT_PX - AXIS_HEIGHT_PX;
  const x = scaleBand<string>({ domain: labels, range: [0, CHART_WIDTH_PX], padding: 0.15 });
  const most = Math.max(...bins.map((b) => b.count));
  const y = scaleLinear<number>({ domain: [0, most], range: [plotHeight, 14] });
  return (
    <figure className="suite-chart">
      <figcaption>{title}</figcaption>
      <svg width={CHART_WIDTH_PX} height={HISTOGRAM_HEIGHT_PX} role="img" aria-label={title}>
        {bins.map((bin, i) => {
          const left = x(labels[i]!) ?? 0;
          const top = y(bin.count);
          return (
            <Group key={labels[i]} left={left}>
              <Bar y={top} width={x.bandwidth()} height={plotHeight - top} className="chart-bar" />
              <text x={x.bandwidth() / 2} y={top - 3} textAnchor="middle" className="chart-value">
                {bin.count}
              </text>
            </Group>
          );
        })}
        <AxisBottom
          top={plotHeight}
          scale={x}
          hideTicks
          tickClassName="chart-tick"
          axisLineClassName="chart-axis"
        />
      </svg>
    </figure>
  );
}

const percent = (rate: number | null) => (rate === null ? "—" : `${Math.round(rate * 100)}%`);

const range = (from: string, to: string) => (from === to ? from : `${from}–${to}`);

/** A setup in few words for a bar: the model, then its effort and policy when it has them. */
const shortSetup = ({ model, effort, policy }: SuiteAgent) =>
  [model, effort && `effort ${effort}`, policy && policyName(policy)].filter(Boolean).join(" · ");

/** One row per group, or per group and agent setup when the suite has several. */
function successRows(board: Leaderboard, by: "byDomain" | "byDifficulty"): SuccessRow[] {
  if (board.agents.length <= 1)
    return Object.entries(board.overall[by]).map(([label, group]) => ({ label, group }));
  return board.agents.flatMap((agent) =>
    Object.entries(agent[by]).map(([label, group]) => ({
      label: [label, shortSetup(agent.agent)].join(" · "),
      group,
    })),
  );
}

export function SuiteCharts({ board }: { board: Leaderboard }) {
  if (board.overall.all.runs === 0)
    return <p className="muted">No charts yet: they show once the suite has runs.</p>;
  const { steps, costUsd } = board.overall.distributions;
  return (
    <div className="suite-charts" data-testid="suite-charts">
      <SuccessBars title="Success by domain (pass@1)" rows={successRows(board, "byDomain")} />
      <SuccessBars
        title="Success by difficulty (pass@1)"
        rows={successRows(board, "byDifficulty")}
      />
      <Histogram
        title="Steps per run (number of runs)"
        bins={binValues(steps)}
        format={(b) => range(String(b.from), String(b.to))}
        empty="No runs."
      />
      <Histogram
        title="Cost per run (number of runs)"
        bins={binValues(costUsd)}
        format={(b) => range(dollars(b.from), dollars(b.to))}
        empty="No run has a price (the oracle costs nothing; set a model's price in Settings)."
      />
    </div>
  );
}
