// Size units, so constants and displays say what they measure.
export const BYTES_PER_KIB = 1024;
export const BYTES_PER_MIB = 1024 * BYTES_PER_KIB;

/** Formats a byte count for people: "512 B", "1.5 KiB", "24.0 MiB". */
export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes) || bytes < 0) {
    throw new RangeError(`formatBytes: expected a non-negative finite byte count, got ${bytes}`);
  }
  if (bytes < BYTES_PER_KIB) return `${bytes} B`;
  if (bytes < BYTES_PER_MIB) return `${(bytes / BYTES_PER_KIB).toFixed(1)} KiB`;
  return `${(bytes / BYTES_PER_MIB).toFixed(1)} MiB`;
}
