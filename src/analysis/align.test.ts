// Unit tests: aligning two runs' calls and marking where they first part.
import { describe, expect, it } from "vitest";
import type { RunEvent, ToolInput } from "../domain/run";
import {
  alignSteps,
  compareKeys,
  compareSteps,
  disagreement,
  stepKey,
  type CompareStep,
} from "./align";

const cmd = (command: string): ToolInput => ({ tool: "run_command", command });
const finish: ToolInput = { tool: "finish", summary: "done" };

/** A run's calls as the comparison reads them, one per step. */
function steps(...inputs: ToolInput[]): CompareStep[] {
  return inputs.map((input, i) => ({
    step: i + 1,
    callId: `c${i + 1}`,
    input,
    key: stepKey(input),
    reasoning: "",
  }));
}

/** The rows as "left | right : match" lines, for readable expectations. */
function show(left: CompareStep[], right: CompareStep[]): string[] {
  return alignSteps(left, right).rows.map(
    (r) => `${r.left?.step ?? "-"} | ${r.right?.step ?? "-"} : ${r.match}`,
  );
}

describe("stepKey", () => {
  it("reads what a command does and to what, not its flags or quoting", () => {
    expect(stepKey(cmd("systemctl status nginx --no-pager"))).toEqual({
      kind: "look",
      actions: ["systemctl status"],
      targets: ["unit nginx.service"],
    });
    expect(stepKey(cmd("systemctl status 'nginx'"))).toEqual(
      stepKey(cmd("systemctl status nginx --no-pager")),
    );
    expect(stepKey(cmd("systemctl restart nginx")).kind).toBe("change");
    expect(stepKey(cmd("chmod 755 /srv/reports")).kind).toBe("change");
  });

  it("keys a write, a finish and an invalid call", () => {
    expect(stepKey({ tool: "write_file", path: "/etc/hosts", content: "x" })).toEqual({
      kind: "change",
      actions: ["write"],
      targets: ["/etc/hosts"],
    });
    expect(stepKey(finish).kind).toBe("finish");
    expect(stepKey({ tool: "invalid", name: "bash", raw: "{}", problem: "unknown tool" })).toEqual({
      kind: "invalid",
      actions: ["invalid bash"],
      targets: [],
    });
  });

  it("sorts and de-duplicates what a pipeline runs and names", () => {
    const key = stepKey(cmd("cat /etc/b /etc/a | grep x | grep y"));
    expect(key.actions).toEqual(["cat", "grep"]);
    expect(key.targets).toEqual(["/etc/a", "/etc/b"]);
  });
});

describe("compareKeys", () => {
  it("tells same, similar and different calls apart", () => {
    const key = (c: string) => stepKey(cmd(c));
    expect(compareKeys(key("cat /etc/hosts"), key("cat  '/etc/hosts'"))).toBe("same");
    expect(compareKeys(key("cat /etc/hosts"), key("cat /etc/resolv.conf"))).toBe("similar");
    expect(compareKeys(key("cat /etc/hosts"), key("head /etc/hosts"))).toBe("similar");
    expect(compareKeys(key("cat /etc/hosts"), key("ss -tlnp"))).toBe("different");
    expect(compareKeys(key("cat /etc/hosts"), key("rm /etc/hosts"))).toBe("different");
    expect(compareKeys(stepKey(finish), stepKey(finish))).toBe("same");
  });
});

describe("alignSteps", () => {
  it("pairs identical runs row by row with no divergence", () => {
    const run = steps(cmd("ls -l /srv"), cmd("chmod 755 /srv/reports"), finish);
    const alignment = alignSteps(run, steps(cmd("ls /srv"), cmd("chmod 755 /srv/reports"), finish));
    expect(alignment.rows.map((r) => r.match)).toEqual(["same", "same", "same"]);
    expect(alignment.divergence).toBeNull();
  });

  it("puts one extra look on a row of its own and marks it as where they part", () => {
    const left = steps(cmd("ls /srv"), cmd("namei -l /srv/reports"), cmd("chmod 755 /srv"), finish);
    const right = steps(cmd("ls /srv"), cmd("chmod 755 /srv"), finish);
    expect(show(left, right)).toEqual([
      "1 | 1 : same",
      "2 | - : left-only",
      "3 | 2 : same",
      "4 | 3 : same",
    ]);
    const { divergence } = alignSteps(left, right);
    expect(divergence).toMatchObject({ row: 1, reason: "kind" });
    expect(divergence?.left?.step).toBe(2);
    // The other run's next call from that row is its fix.
    expect(divergence?.right?.step).toBe(2);
    expect(divergence?.right?.input).toEqual(cmd("chmod 755 /srv"));
  });

  it("marks different fixes of the same thing as parting on the action", () => {
    const left = steps(cmd("ls -l /srv/reports"), cmd("chmod o+rx /srv/reports"), finish);
    const right = steps(cmd("ls -l /srv/reports"), cmd("chown www-data /srv/reports"), finish);
    expect(show(left, right)).toEqual(["1 | 1 : same", "2 | 2 : similar", "3 | 3 : same"]);
    expect(alignSteps(left, right).divergence).toMatchObject({ row: 1, reason: "action" });
  });

  it("marks the same command on other things as parting on the target", () => {
    const left = steps(cmd("systemctl restart nginx"));
    const right = steps(cmd("systemctl restart php8.2-fpm"));
    expect(alignSteps(left, right).divergence).toMatchObject({ row: 0, reason: "target" });
  });

  it("marks a look against a change as parting on the kind", () => {
    const left = steps(cmd("cat /etc/nginx/nginx.conf"), cmd("nginx -t"));
    const right = steps(cmd("cat /etc/nginx/nginx.conf"), cmd("systemctl restart nginx"));
    expect(alignSteps(left, right).divergence).toMatchObject({ row: 1, reason: "kind" });
  });

  it("aligns the finishes of a run that finished early with the other's, the rest on its own rows", () => {
    const left = steps(cmd("df -h"), finish);
    const right = steps(cmd("df -h"), cmd("du -sh /var/log"), cmd("rm /var/log/big.log"), finish);
    expect(show(left, right)).toEqual([
      "1 | 1 : same",
      "- | 2 : right-only",
      "- | 3 : right-only",
      "2 | 4 : same",
    ]);
    expect(alignSteps(left, right).divergence).toMatchObject({ row: 1, reason: "kind" });
  });

  it("marks a run that stopped (no finish, no further call) as ended", () => {
    const left = steps(cmd("df -h"));
    const right = steps(cmd("df -h"), cmd("du -sh /var"));
    expect(show(left, right)).toEqual(["1 | 1 : same", "- | 2 : right-only"]);
    const { divergence } = alignSteps(left, right);
    expect(divergence).toMatchObject({ row: 1, reason: "ended", left: null });
    expect(divergence?.right?.step).toBe(2);
  });

  it("handles empty runs", () => {
    expect(alignSteps([], [])).toEqual({ rows: [], divergence: null });
    const one = steps(cmd("ls"));
    expect(alignSteps(one, [])).toEqual({
      rows: [{ left: one[0], right: null, match: "left-only" }],
      divergence: { row: 0, left: one[0], right: null, reason: "ended" },
    });
    expect(alignSteps([], one).rows).toEqual([{ left: null, right: one[0], match: "right-only" }]);
  });

  it("shares a row between two unlike calls rather than staggering them", () => {
    const left = steps(cmd("ss -tlnp"), finish);
    const right = steps(cmd("journalctl -u nginx"), finish);
    expect(show(left, right)).toEqual(["1 | 1 : different", "2 | 2 : same"]);
  });

  it("finds the common calls of two runs in different orders of looking", () => {
    const left = steps(cmd("cat /etc/hosts"), cmd("ip route"), cmd("ping -c1 web"), finish);
    const right = steps(cmd("ip route"), cmd("ping -c1 web"), finish);
    expect(show(left, right)).toEqual([
      "1 | - : left-only",
      "2 | 1 : same",
      "3 | 2 : same",
      "4 | 3 : same",
    ]);
  });

  it("is symmetric: swapping the runs swaps the sides", () => {
    const a = steps(cmd("df -h"), cmd("du -sh /var"), cmd("rm -rf /var/tmp/x"), finish);
    const b = steps(cmd("df -h"), cmd("rm -rf /var/tmp/x"), cmd("df -h"), finish);
    const forward = alignSteps(a, b).rows.map((r) => [r.left?.step, r.right?.step]);
    const backward = alignSteps(b, a).rows.map((r) => [r.right?.step, r.left?.step]);
    expect(backward).toEqual(forward);
  });

  it("aligns long runs quickly (a hundred calls each)", () => {
    const many = (n: number, word: string) =>
      steps(...Array.from({ length: n }, (_, i) => cmd(`cat /etc/${word}${i % 7}`)));
    const started = performance.now();
    const { rows } = alignSteps(many(100, "a"), many(100, "b"));
    expect(rows.length).toBeGreaterThanOrEqual(100);
    expect(performance.now() - started).toBeLessThan(500);
  });
});

describe("compareSteps", () => {
  it("reads each call of a run with its turn's visible text, not its hidden thinking", () => {
    const events: RunEvent[] = [
      { type: "reasoning", atMs: 1, step: 1, text: "Nginx may be down.", kind: undefined },
      { type: "reasoning", atMs: 1, step: 1, text: "secret plan", kind: "thinking" },
      { type: "tool-call", atMs: 2, step: 1, callId: "a", input: cmd("systemctl status nginx") },
      { type: "tool-call", atMs: 2, step: 1, callId: "b", input: cmd("ss -tlnp") },
      { type: "tool-call", atMs: 3, step: 2, callId: "c", input: finish },
    ];
    const read = compareSteps(events);
    expect(read.map((s) => [s.step, s.callId, s.reasoning])).toEqual([
      [1, "a", "Nginx may be down."],
      [1, "b", "Nginx may be down."],
      [2, "c", ""],
    ]);
    expect(read[0]?.key.targets).toEqual(["unit nginx.service"]);
  });
});

describe("disagreement", () => {
  it("is null when both next calls agree, else says how they differ", () => {
    const [a, b] = steps(cmd("ls /srv"), cmd("ls -la /srv"));
    const [c] = steps(cmd("rm -rf /srv"));
    expect(disagreement(a!, b!)).toBeNull();
    expect(disagreement(a!, c!)).toBe("kind");
    expect(disagreement(a!, null)).toBe("ended");
  });
});
