// What readying a task and grading it do while a person waits: their stages, and the grader's notes.

/**
 * The stages of readying a task, as they come: a saved state restored (kept here, or shipped with
 * the site and downloaded first; in npm run dev built on the dev server first), or the task set up
 * afresh (reset, fixtures, network, setup.sh) and its state saved for next time.
 */
export type ReadyStage =
  | "building"
  | "restoring"
  | "downloading"
  | "resetting"
  | "fixtures"
  | "network"
  | "setup"
  | "saving";

export interface ReadyProgress {
  stage: ReadyStage;
  /** Where the state restored came from ("restoring" only). */
  from?: "cache" | "shipped";
  /** Bytes of a shipped state downloaded so far, and in all ("downloading" only). */
  loadedBytes?: number;
  totalBytes?: number;
  /** Tasks the dev server readies before this one ("building" only). */
  ahead?: number;
}
/** The longest note kept (a check's name is one line; more is cut). */
const MAX_NOTE_CHARS = 200;

/**
 * The stages of grading, in order: the agent's processes stopped, the integrity checks, the grader's
 * checks (and a cloud task's host-side checks), the integrity checks again.
 */
export type GradeStage = "stopping" | "integrity" | "checks" | "rechecking";

/** One note of the grader: a check it begins, or a step (restarting nginx, rebooting web). */
export interface GraderNote {
  kind: "check" | "step";
  text: string;
}

export interface GradeProgress {
  stage: GradeStage;
  /** The check the grader runs now, or its step between checks (a restart, a reboot), from its notes. */
  doing?: GraderNote;
  /** The number of the check it runs (1-based), once it has begun one. */
  checkNumber?: number;
  /** The grader's time limit (its checkSeconds). */
  limitMs?: number;
}

/**
 * Reads the notes lib.sh's `doing` writes ("check\tWHAT" or "step\tWHAT", a line each): the last one,
 * and how many checks have begun. NOTE: written by the grader only (the agent's processes are stopped
 * by then), and shown as text; nothing decides on them.
 */
export function readGraderNotes(text: string): { doing?: GraderNote; checkNumber?: number } {
  let checkNumber = 0;
  let doing: GraderNote | undefined;
  for (const line of text.split("\n")) {
    const note = readNoteLine(line);
    if (note?.kind !== "check" && note?.kind !== "step") continue;
    if (note.kind === "check") checkNumber++;
    doing = { kind: note.kind, text: note.text };
  }
  return {
    ...(doing !== undefined && { doing }),
    ...(checkNumber > 0 && { checkNumber }),
  };
}

/**
 * One line of the notes, "KIND\tWHAT\tEPOCHREALTIME": its kind, its text (cut to MAX_NOTE_CHARS) and
 * when it began, when the line has a time (older graders append none). Undefined without a text.
 */
function readNoteLine(line: string): { kind: string; text: string; at?: number } | undefined {
  const [kind = "", text, at] = line.split("\t");
  if (text === undefined) return undefined;
  const seconds = at ? Number(at) : NaN;
  return {
    kind,
    text: text.slice(0, MAX_NOTE_CHARS),
    ...(Number.isFinite(seconds) && { at: seconds }),
  };
}

/** One note of the grader with how long it lasted: until the next note, or the grader's end. */
export interface TimedGraderNote extends GraderNote {
  ms: number;
}

/**
 * Where a grader's time went, from its notes ("KIND\tWHAT\tEPOCHREALTIME", a line each) and the line
 * "end\t\tEPOCHREALTIME" the runner adds when it ends: each note lasts until the next (the last, until
 * the end; without an end line it is left out). Lines without a time, or a garbled one, are skipped.
 * NOTE: for profiling (bench:tasks --profile), never for a verdict.
 */
export function readGraderTimeline(text: string): TimedGraderNote[] {
  const marks: { note?: GraderNote; at: number }[] = [];
  for (const line of text.split("\n")) {
    const note = readNoteLine(line);
    if (note?.at === undefined) continue;
    if (note.kind === "check" || note.kind === "step")
      marks.push({ note: { kind: note.kind, text: note.text }, at: note.at });
    else if (note.kind === "end") marks.push({ at: note.at });
  }
  const timeline: TimedGraderNote[] = [];
  marks.forEach(({ note, at }, i) => {
    const next = marks[i + 1];
    if (note && next)
      timeline.push({ ...note, ms: Math.max(0, Math.round((next.at - at) * 1000)) });
  });
  return timeline;
}
