// Reads the grader's notes while it runs, for the person waiting (see domain/grade-progress.ts).
import { readGraderNotes } from "../../domain/grade-progress";
import type { Vm } from "../../vm/vm";

/** How often the grader's notes are read while it runs. */
export const GRADER_NOTES_POLL_MS = 1_000;
/**
 * Reads the grader's notes file every GRADER_NOTES_POLL_MS and reports what changed, until the
 * returned function is called (which resolves once no read is in flight). A read that fails (the file
 * is not there yet) is skipped.
 */
export function watchGraderNotes(
  vm: Vm,
  path: string,
  report: (notes: ReturnType<typeof readGraderNotes>) => void,
): () => Promise<void> {
  let stopped = false;
  let wake: (() => void) | undefined;
  let last = "";
  const loop = (async () => {
    while (!stopped) {
      await new Promise<void>((resolve) => {
        wake = resolve;
        setTimeout(resolve, GRADER_NOTES_POLL_MS);
      });
      if (stopped) return;
      let text: string;
      try {
        text = new TextDecoder().decode(await vm.readFile(path));
      } catch {
        continue;
      }
      if (stopped || text === last) continue;
      last = text;
      report(readGraderNotes(text));
    }
  })();
  return async () => {
    stopped = true;
    wake?.();
    await loop;
  };
}
