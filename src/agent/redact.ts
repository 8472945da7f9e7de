// Scrubs secrets (the person's API key) out of anything the agent loop emits.

export const REDACTED = "[redacted]";
/** Shorter strings are not treated as secrets: replacing them would mangle ordinary text. */
const MIN_SECRET_CHARS = 8;

function scrubText(text: string, secrets: string[]): string {
  let out = text;
  for (const secret of secrets) out = out.split(secret).join(REDACTED);
  return out;
}

/** A deep copy of `value` with every occurrence of each secret in its strings replaced. */
export function redactSecrets<T>(value: T, secrets: readonly string[]): T {
  const active = secrets.filter((s) => s.length >= MIN_SECRET_CHARS);
  if (active.length === 0) return value;
  const walk = (v: unknown): unknown => {
    if (typeof v === "string") return scrubText(v, active);
    if (Array.isArray(v)) return v.map(walk);
    if (v && typeof v === "object") {
      return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x)]));
    }
    return v;
  };
  return walk(value) as T;
}
