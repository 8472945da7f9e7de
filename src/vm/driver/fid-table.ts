// Keeps v86's 9p fid table restorable: a fid number the guest never used must not be saved as null.

/**
 * NOTE: v86 0.5.462's 9p server keeps its fids in an array indexed by fid number and sets an entry
 * only when a message creates that fid. The guest's client allocates the lowest free number, and a
 * Txattrwalk (every exec asks for security.capability) takes one that v86 answers with an error
 * without creating it; while that is in flight a walk can take the next number, and the failed one
 * is freed: the array has a hole. save_state() writes the table as JSON, where a hole becomes null,
 * and set_state() then reads `null[0]` and throws inside v86's loader, so the restore never finishes
 * (in Node the exception ended the whole process: a task verification died of it once). A hole is
 * filled with what v86 leaves of a clunked fid, which is what a number the server never saw is.
 */
const CLOSED_FID = { inodeid: -1, type: -1, uid: 0, dbg_name: "" } as const;

function fidTableOf(emulator: unknown): unknown[] | undefined {
  const fids = (emulator as { v86?: { cpu?: { devices?: { virtio_9p?: { fids?: unknown } } } } })
    ?.v86?.cpu?.devices?.virtio_9p?.fids;
  return Array.isArray(fids) ? fids : undefined;
}

/**
 * Fills the holes of the running emulator's 9p fid table with closed fids before its state is
 * saved; returns how many it filled (0 also when this v86 has no 9p device or no such table).
 */
export function fillFidHoles(emulator: unknown): number {
  const fids = fidTableOf(emulator);
  if (!fids) return 0;
  let filled = 0;
  for (let fid = 0; fid < fids.length; fid++)
    if (!(fid in fids) || fids[fid] == null) {
      fids[fid] = { ...CLOSED_FID };
      filled++;
    }
  return filled;
}
