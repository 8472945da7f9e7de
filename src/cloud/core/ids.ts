// Deterministic identifiers: a seeded PRNG whose state lives in the cloud state, and a stable hash.
import type { CloudState } from "./model";

/** Next 32-bit value of mulberry32; advances the state's PRNG. */
export function nextRandom(state: CloudState): number {
  state.rng = (state.rng + 0x6d2b79f5) >>> 0;
  let t = state.rng;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return (t ^ (t >>> 14)) >>> 0;
}

/** A new id such as "i-0a1b2c3d4e5f60718" (prefix, then 17 hex digits like real cloud ids). */
export function newId(state: CloudState, prefix: string): string {
  let hex = "0";
  while (hex.length < 17) hex += nextRandom(state).toString(16).padStart(8, "0");
  return `${prefix}-${hex.slice(0, 17)}`;
}

/** A short secret-looking string from the PRNG (access key secrets). */
export function newSecret(state: CloudState, length: number): string {
  const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
  let out = "";
  for (let i = 0; i < length; i++) out += alphabet[nextRandom(state) % alphabet.length];
  return out;
}

/** FNV-1a of a string as 8 hex digits: stable names derived from other names. */
export function stableHash(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0).toString(16).padStart(8, "0");
}
