// The history's filters: task, domain, model, verdict, dates, free-text search and sorting.
import type { RunRecord } from "../../domain/run";
import {
  filterChoices,
  NO_FILTER,
  RUN_STATUSES,
  SORT_KEYS,
  type HistoryFilter,
  type SortKey,
} from "../../state/history-filter";
import { STATUS_LABELS } from "./status";

export function HistoryFilters({
  runs,
  filter,
  onChange,
}: {
  runs: RunRecord[];
  filter: HistoryFilter;
  onChange: (patch: Partial<HistoryFilter>) => void;
}) {
  const choices = filterChoices(runs);
  return (
    <div className="history-filters" role="search" aria-label="Filter runs">
      <input
        type="search"
        aria-label="Search runs"
        placeholder="Search task, model, commands…"
        value={filter.query}
        onChange={(e) => onChange({ query: e.target.value })}
      />
      <select
        aria-label="Task"
        value={filter.task}
        onChange={(e) => onChange({ task: e.target.value })}
      >
        <option value="">All tasks</option>
        {choices.tasks.map((t) => (
          <option key={t.id} value={t.id}>
            {t.title}
          </option>
        ))}
      </select>
      <select
        aria-label="Domain"
        value={filter.domain}
        onChange={(e) => onChange({ domain: e.target.value })}
      >
        <option value="">All domains</option>
        {choices.domains.map((d) => (
          <option key={d}>{d}</option>
        ))}
      </select>
      <select
        aria-label="Model"
        value={filter.model}
        onChange={(e) => onChange({ model: e.target.value })}
      >
        <option value="">All models</option>
        {choices.models.map((m) => (
          <option key={m}>{m}</option>
        ))}
      </select>
      <select
        aria-label="Verdict"
        value={filter.status}
        onChange={(e) => onChange({ status: e.target.value as HistoryFilter["status"] })}
      >
        <option value="">All verdicts</option>
        {RUN_STATUSES.map((s) => (
          <option key={s} value={s}>
            {STATUS_LABELS[s].label}
          </option>
        ))}
      </select>
      <label>
        from{" "}
        <input
          type="date"
          value={filter.from}
          onChange={(e) => onChange({ from: e.target.value })}
        />
      </label>
      <label>
        to{" "}
        <input type="date" value={filter.to} onChange={(e) => onChange({ to: e.target.value })} />
      </label>
      <select
        aria-label="Sort by"
        value={filter.sort}
        onChange={(e) => onChange({ sort: e.target.value as SortKey })}
      >
        {SORT_KEYS.map((k) => (
          <option key={k} value={k}>
            by {k}
          </option>
        ))}
      </select>
      <button
        type="button"
        aria-label={filter.descending ? "Descending: sort ascending" : "Ascending: sort descending"}
        onClick={() => onChange({ descending: !filter.descending })}
      >
        {filter.descending ? "↓" : "↑"}
      </button>
      <button type="button" onClick={() => onChange(NO_FILTER)}>
        Clear
      </button>
    </div>
  );
}
