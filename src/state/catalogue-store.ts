// The task catalogue in the page: the tasks, broken folders, the filter and the chosen task.
import { createStore, type StoreApi } from "zustand/vanilla";
import type { TaskBundle, TaskDifficulty, TaskDomain } from "../domain/task";

export interface TaskFilter {
  domain: TaskDomain | "all";
  difficulty: TaskDifficulty | "all";
  query: string;
}

export interface CatalogueState {
  tasks: TaskBundle[];
  /** Task folders that failed to load, each naming the file and field. */
  errors: string[];
  filter: TaskFilter;
  selectedId: string | undefined;
  setFilter(patch: Partial<TaskFilter>): void;
  select(id: string): void;
}

/** The tasks the filter lets through: domain, difficulty, and words in the id, title, tags or ticket. */
export function filterTasks(tasks: readonly TaskBundle[], filter: TaskFilter): TaskBundle[] {
  const words = filter.query.toLowerCase().split(/\s+/).filter(Boolean);
  return tasks.filter(({ meta, instruction }) => {
    if (filter.domain !== "all" && meta.domain !== filter.domain) return false;
    if (filter.difficulty !== "all" && meta.difficulty !== filter.difficulty) return false;
    const haystack = [meta.id, meta.title, ...meta.tags, instruction].join(" ").toLowerCase();
    return words.every((word) => haystack.includes(word));
  });
}

export function createCatalogueStore(catalogue: {
  tasks: TaskBundle[];
  errors: string[];
}): StoreApi<CatalogueState> {
  return createStore<CatalogueState>()((set) => ({
    tasks: catalogue.tasks,
    errors: catalogue.errors,
    filter: { domain: "all", difficulty: "all", query: "" },
    selectedId: catalogue.tasks[0]?.meta.id,
    setFilter: (patch) => set((s) => ({ filter: { ...s.filter, ...patch } })),
    select: (id) => set({ selectedId: id }),
  }));
}
