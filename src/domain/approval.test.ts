// Unit tests of approval mode's pure parts: who decides a call, the edited call, and the words for each decision.
import { describe, expect, it } from "vitest";
import {
  approvalNeed,
  approvalTimeoutError,
  describeApproval,
  describeApprovalSetting,
  editedInput,
  type ApprovalSetting,
  type MachineInput,
} from "./approval";
import type { CommandPolicy, PolicyDecision } from "./policy/judge";

const every: ApprovalSetting = { mode: "every", autoApprove: [], timeoutSeconds: 120 };
const allow: PolicyDecision = { decision: "allow" };
const cmd = (command: string): MachineInput => ({ tool: "run_command", command });

describe("approvalNeed", () => {
  const readOnly = { ...every, autoApprove: ["read-only" as const] };
  it.each([
    ["ls -l /etc | grep nginx", "rule"],
    ["systemctl status nginx", "rule"],
    ["systemctl restart nginx", "person"],
    ["cat /etc/passwd > /tmp/copy", "person"],
    ["ls $(rm -rf /tmp/x)", "person"],
    ["sed -i s/a/b/ /etc/x", "person"],
  ])("with the read-only rule, %s is decided by the %s", (command, need) => {
    expect(approvalNeed(readOnly, undefined, allow, cmd(command)).need).toBe(need);
  });

  it("approves what the policy's allow rules match in every part of the line, and no more", () => {
    const policy: CommandPolicy = {
      preset: "none",
      allow: ["systemctl restart *", "write_file /tmp/*"],
    };
    const setting = { ...every, autoApprove: ["policy-allow" as const] };
    const need = (input: MachineInput) => approvalNeed(setting, policy, allow, input);
    expect(need(cmd("systemctl restart nginx"))).toEqual({ need: "rule", rule: "policy-allow" });
    expect(need(cmd("systemctl restart nginx && rm -rf /"))).toMatchObject({ need: "person" });
    expect(need(cmd("systemctl restart $(rm -rf /)"))).toMatchObject({ need: "person" });
    expect(need({ tool: "write_file", path: "/tmp/a", content: "" }).need).toBe("rule");
    expect(need({ tool: "write_file", path: "/etc/a", content: "" }).need).toBe("person");
    expect(approvalNeed(setting, undefined, allow, cmd("ls")).need).toBe("person");
  });

  it("always asks the person about what the policy cannot judge, whatever the rules", () => {
    const ask: PolicyDecision = { decision: "ask", part: "eval $X", reason: "eval" };
    const setting: ApprovalSetting = { ...every, autoApprove: ["read-only", "policy-allow"] };
    expect(approvalNeed(setting, undefined, ask, cmd("eval $X"))).toEqual({
      need: "person",
      asked: { because: "unjudged", part: "eval $X", reason: "eval" },
    });
  });

  it("lets every judged call run unasked in mode unjudged", () => {
    const setting: ApprovalSetting = { ...every, mode: "unjudged" };
    expect(approvalNeed(setting, undefined, allow, cmd("rm -rf /tmp/x"))).toEqual({ need: "none" });
  });
});

describe("the words of approval mode", () => {
  const input = cmd("rm -rf /var/www");
  it("says who decided what", () => {
    const base = { input, by: "person" as const };
    expect(describeApproval({ ...base, decision: "approved" })).toBe("approved by you");
    expect(describeApproval({ ...base, decision: "approved", by: "rule", rule: "read-only" })).toBe(
      "approved by rule: read-only",
    );
    expect(describeApproval({ ...base, decision: "edited", edited: cmd("ls /var/www") })).toBe(
      "edited: rm -rf /var/www → ls /var/www",
    );
    expect(describeApproval({ ...base, decision: "rejected", message: "no" })).toBe("rejected: no");
    expect(describeApproval({ ...base, decision: "timed-out", by: "time-out" })).toMatch(
      /^timed out/,
    );
  });

  it("keeps a command's own time limit and a file's path when edited", () => {
    expect(editedInput({ tool: "run_command", command: "rm x", timeoutSeconds: 5 }, "ls")).toEqual({
      tool: "run_command",
      command: "ls",
      timeoutSeconds: 5,
    });
    expect(editedInput({ tool: "write_file", path: "/a", content: "x" }, "y")).toEqual({
      tool: "write_file",
      path: "/a",
      content: "y",
    });
  });

  it("names the setting and checks its time-out", () => {
    expect(describeApprovalSetting(undefined)).toBe("off");
    expect(
      describeApprovalSetting({ ...every, autoApprove: ["read-only"], timeoutSeconds: 0 }),
    ).toBe("every command, auto-approve: read-only, no time-out");
    expect(approvalTimeoutError(120)).toBeNull();
    expect(approvalTimeoutError(-1)).toMatch(/0 \(wait forever\) to 86400 seconds/);
  });
});
