// A command policy as a person chooses it (a preset name, rule lists from a flag or an editor) and as a run's summary names it.
import { POLICY_PRESETS, type CommandPolicy, type PolicyPreset } from "./judge";
import { parseRules } from "./rules";

const isPreset = (name: string): name is PolicyPreset =>
  (POLICY_PRESETS as readonly string[]).includes(name);

/**
 * The policy of a run from a preset's name and rule texts; undefined for no policy at all (preset
 * "none" without rules: the run is as before policies). A wrong name or rule says what to write.
 */
export function choosePolicy(
  preset: string,
  allow: readonly string[] = [],
  deny: readonly string[] = [],
): { policy: CommandPolicy | undefined } | { error: string } {
  if (!isPreset(preset))
    return { error: `The policy is ${POLICY_PRESETS.join(", ")}; "${preset}" is none of them.` };
  const keep = (rules: readonly string[]) => rules.map((r) => r.trim()).filter((r) => r !== "");
  for (const [kind, rules] of [
    ["allow", allow],
    ["deny", deny],
  ] as const) {
    const read = parseRules(rules);
    if ("error" in read) return { error: `The ${kind} rule is wrong: ${read.error}` };
  }
  const policy: CommandPolicy = {
    preset,
    ...(keep(allow).length > 0 && { allow: keep(allow) }),
    ...(keep(deny).length > 0 && { deny: keep(deny) }),
  };
  return { policy: preset === "none" && !policy.allow && !policy.deny ? undefined : policy };
}

/** A policy in a few words, for History and the CLI: "read-only", "no-destructive + 1 allow, 2 deny rules". */
export function describePolicy(policy: CommandPolicy | undefined): string {
  if (!policy) return "none";
  const rules = [
    policy.allow?.length && `${policy.allow.length} allow`,
    policy.deny?.length && `${policy.deny.length} deny`,
  ].filter(Boolean);
  return rules.length > 0 ? `${policy.preset} + ${rules.join(", ")} rules` : policy.preset;
}
