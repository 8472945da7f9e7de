// Share links in the page: making a finished run's link, file and exports, and opening a link or file someone sent.
import { createStore, type StoreApi } from "zustand/vanilla";
import { redactSecrets } from "../agent/redact";
import type { RunRecord } from "../domain/run";
import { SHARE_ERROR_TITLES, ShareLinkError, type ShareLinkErrorKind } from "../share/errors";
import {
  decodeRunFile,
  encodeRunFile,
  encodeRunLink,
  encodeSummaryLink,
  MAX_LINK_CHARS,
  openLink,
  shareFileName,
  summarize,
  type RunSummary,
  type SharedRun,
  type TaskRef,
} from "../share/link-codec";
import { runMarkdown } from "../share/markdown";
import type { TaskBundle } from "../domain/task";
import type { CatalogueState } from "./catalogue-store";
import type { DownloadFile } from "./history-store";

/** What the page shows of links, from the codec (the UI imports only state and domain). */
export { MAX_LINK_CHARS, type RunSummary } from "../share/link-codec";

/** What the person can do with a finished run: its link (or a summary link and a file), and exports. */
export interface ShareOffer {
  /** The address to send: the run's own link, or a summary link when the run is too big for one. */
  url: string;
  /** True when the run did not fit in MAX_LINK_CHARS: `url` is a summary link and `file` is needed. */
  tooBig: boolean;
  /** Characters of the whole run's link. */
  runLinkChars: number;
  /** The run as a .opslab.json file (the same codec as the link). */
  file: DownloadFile;
  /** The run record itself, as JSON. */
  json: DownloadFile;
  markdown: DownloadFile;
}

/** How a viewer's catalogue compares with the task a shared run was made with. */
export type TaskMatch = "same" | "differs" | "missing" | "unknown";

export interface ShareFailure {
  kind: ShareLinkErrorKind;
  title: string;
  message: string;
}

export type OpenedShare =
  | { status: "idle" }
  | { status: "opening"; payload: string }
  | {
      status: "run";
      payload: string;
      run: SharedRun;
      task: TaskBundle | undefined;
      match: TaskMatch;
    }
  | { status: "summary"; payload: string; summary: RunSummary; fileError?: ShareFailure }
  | { status: "error"; payload: string; error: ShareFailure };

export interface ShareState {
  opened: OpenedShare;
  /** The link, file and exports of a run; the key in Settings is scrubbed out of all of them. */
  offer(record: RunRecord, baseUrl: string): Promise<ShareOffer>;
  /** Decodes a link's payload (the part after #/share/) into `opened`. */
  open(payload: string): Promise<void>;
  /** Opens the file a summary link asks for; it must be the run the link names. */
  openFile(text: string): Promise<void>;
}

export interface ShareServices {
  catalogue: StoreApi<CatalogueState>;
  /** Strings never to be shared (the API key in Settings). */
  secrets(): string[];
}

function failure(error: unknown): ShareFailure {
  if (error instanceof ShareLinkError) {
    return { kind: error.kind, title: SHARE_ERROR_TITLES[error.kind], message: error.message };
  }
  throw error;
}

/** Whether the viewer's task is the one the run was made with. */
export function matchTask(ref: TaskRef, task: TaskBundle | undefined): TaskMatch {
  if (!task) return "missing";
  if (!ref.folderHash || !task.folderHash) return "unknown";
  return ref.folderHash === task.folderHash ? "same" : "differs";
}

const day = (record: RunRecord) => `${record.task.id}-${record.createdAt.slice(0, 10)}`;

export function createShareStore(services: ShareServices): StoreApi<ShareState> {
  const taskOf = (id: string) => services.catalogue.getState().tasks.find((t) => t.meta.id === id);
  const shown = (run: SharedRun, payload: string): OpenedShare => {
    const task = taskOf(run.task.id);
    return { status: "run", payload, run, task, match: matchTask(run.task, task) };
  };
  return createStore<ShareState>()((set, get) => ({
    opened: { status: "idle" },
    async offer(original, baseUrl) {
      // NOTE: runs are scrubbed as they are made (runAgent's secrets); scrubbed again here in case
      // a run was made elsewhere with the key now in Settings.
      const record = redactSecrets(original, services.secrets());
      const ref: TaskRef = {
        id: record.task.id,
        folderHash: taskOf(record.task.id)?.folderHash ?? "",
      };
      const run = await encodeRunLink(record, ref);
      const file = await encodeRunFile(record, ref);
      const runUrl = `${baseUrl}#/share/${run.payload}`;
      const tooBig = runUrl.length > MAX_LINK_CHARS;
      const summary = summarize({ record, task: ref, hash: run.hash });
      const url = tooBig ? `${baseUrl}#/share/${await encodeSummaryLink(summary)}` : runUrl;
      return {
        url,
        tooBig,
        runLinkChars: runUrl.length,
        file: { name: shareFileName(record), type: "application/json", text: file.text },
        json: {
          name: `${day(record)}.run.json`,
          type: "application/json",
          text: `${JSON.stringify(record, null, 2)}\n`,
        },
        markdown: {
          name: `${day(record)}.md`,
          type: "text/markdown",
          text: runMarkdown(record, tooBig ? undefined : runUrl),
        },
      };
    },
    async open(payload) {
      const current = get().opened;
      if (current.status !== "idle" && current.payload === payload) return;
      set({ opened: { status: "opening", payload } });
      let next: OpenedShare;
      try {
        const link = await openLink(payload);
        next =
          link.kind === "run"
            ? shown(link.run, payload)
            : { status: "summary", payload, summary: link.summary };
      } catch (error) {
        next = { status: "error", payload, error: failure(error) };
      }
      // NOTE: a later open() wins; an older decode finishing late is dropped.
      const now = get().opened;
      if (now.status === "opening" && now.payload === payload) set({ opened: next });
    },
    async openFile(text) {
      const current = get().opened;
      if (current.status !== "summary") return;
      try {
        const run = await decodeRunFile(text, current.summary.hash);
        set({ opened: shown(run, current.payload) });
      } catch (error) {
        set({ opened: { ...current, fileError: failure(error) } });
      }
    },
  }));
}
