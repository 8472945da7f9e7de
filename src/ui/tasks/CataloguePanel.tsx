// The task catalogue: search, filters by domain and difficulty, and the list to pick a task from.
import { useStore } from "zustand";
import type { StoreApi } from "zustand/vanilla";
import { TASK_DIFFICULTIES, TASK_DOMAINS } from "../../domain/task";
import { filterTasks, type CatalogueState } from "../../state/catalogue-store";

export function CataloguePanel({ store }: { store: StoreApi<CatalogueState> }) {
  const tasks = useStore(store, (s) => s.tasks);
  const errors = useStore(store, (s) => s.errors);
  const filter = useStore(store, (s) => s.filter);
  const selectedId = useStore(store, (s) => s.selectedId);
  const { setFilter, select } = store.getState();
  const visible = filterTasks(tasks, filter);

  return (
    <nav className="catalogue" aria-label="Tasks">
      <input
        type="search"
        placeholder="Search tasks"
        aria-label="Search tasks"
        value={filter.query}
        onChange={(e) => setFilter({ query: e.target.value })}
      />
      <div className="catalogue-filters">
        <select
          aria-label="Domain"
          value={filter.domain}
          onChange={(e) => setFilter({ domain: e.target.value as typeof filter.domain })}
        >
          <option value="all">All domains</option>
          {TASK_DOMAINS.map((d) => (
            <option key={d} value={d}>
              {d}
            </option>
          ))}
        </select>
        <select
          aria-label="Difficulty"
          value={filter.difficulty}
          onChange={(e) => setFilter({ difficulty: e.target.value as typeof filter.difficulty })}
        >
          <option value="all">All levels</option>
          {TASK_DIFFICULTIES.map((d) => (
            <option key={d} value={d}>
              {d}
            </option>
          ))}
        </select>
      </div>
      <ul className="catalogue-list" data-testid="task-list">
        {visible.map(({ meta }) => (
          <li key={meta.id}>
            <button
              type="button"
              aria-pressed={meta.id === selectedId}
              data-task-id={meta.id}
              onClick={() => select(meta.id)}
            >
              <span className="task-title">{meta.title}</span>
              <span className="task-badges">
                <span className={`badge badge-${meta.domain}`}>{meta.domain}</span>
                <span className={`badge badge-${meta.difficulty}`}>{meta.difficulty}</span>
              </span>
            </button>
          </li>
        ))}
        {visible.length === 0 && <li className="muted">No task matches.</li>}
      </ul>
      {errors.length > 0 && (
        <details className="catalogue-errors">
          <summary>{errors.length} task folder(s) could not load</summary>
          <ul>
            {errors.map((e) => (
              <li key={e}>{e}</li>
            ))}
          </ul>
        </details>
      )}
    </nav>
  );
}
