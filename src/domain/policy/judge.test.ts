// Unit tests of the command policies: the table of command lines (cases.ts), file writes, custom rules.
import { describe, expect, it } from "vitest";
import { POLICY_CASES } from "./cases";
import { judgeCommand, judgeWrite, type CommandPolicy } from "./judge";

describe("judgeCommand on the table of command lines", () => {
  it("holds at least 100 lines", () => {
    expect(POLICY_CASES.length).toBeGreaterThanOrEqual(100);
  });

  it.each(POLICY_CASES.map((c) => [c.preset, JSON.stringify(c.line), c.expected, c] as const))(
    "%s: %s is %s",
    (_preset, _line, expected, c) => {
      const decision = judgeCommand({ preset: c.preset }, c.line);
      expect(decision.decision).toBe(expected);
      if (c.names && decision.decision !== "allow")
        expect(`${decision.part} | ${decision.reason}`).toContain(c.names);
    },
  );
});

describe("any text a model sends", () => {
  it("gets a decision, never an exception, whatever quotes, substitutions and operators it holds", () => {
    const pieces = [
      "rm",
      " -rf /",
      "$(",
      ")",
      "`",
      "'",
      '"',
      "\\",
      "\n",
      "<<EOF",
      "EOF",
      "|",
      ";",
      "&&",
      "(",
      "{ ",
      "}",
      ">",
      "$x",
      "#",
      "bash -c ",
      "on web ",
      "<(",
      "$((",
      "*",
    ];
    let seed = 7;
    const next = () => (seed = (seed * 48_271) % 2_147_483_647);
    for (let i = 0; i < 2_000; i++) {
      const line = Array.from(
        { length: 1 + (next() % 12) },
        () => pieces[next() % pieces.length],
      ).join("");
      for (const preset of ["read-only", "no-destructive"] as const)
        expect(["allow", "refuse", "ask"]).toContain(judgeCommand({ preset }, line).decision);
    }
  });

  it("judges a long line and a deep nesting quickly", () => {
    const started = performance.now();
    expect(judgeCommand({ preset: "read-only" }, `echo ${"a ".repeat(50_000)}`)).toMatchObject({
      decision: "ask",
      reason: "the line is too long to read (over 8000 characters)",
    });
    // A long here-doc is no long line: its body is not read word by word.
    const config = `cat > /tmp/big.conf <<'EOF'\n${"key value ;\n".repeat(5_000)}EOF`;
    expect(judgeCommand({ preset: "no-destructive" }, config).decision).toBe("allow");
    expect(
      judgeCommand({ preset: "read-only" }, `${"$(echo ".repeat(200)}ls${")".repeat(200)}`)
        .decision,
    ).toBe("ask");
    expect(performance.now() - started).toBeLessThan(2_000);
  });
});

describe("refusals", () => {
  it("name the simple command at fault and the policy's reason", () => {
    const decision = judgeCommand({ preset: "read-only" }, "ls /etc && chmod 600 /etc/app.conf");
    expect(decision).toEqual({
      decision: "refuse",
      part: "chmod 600 /etc/app.conf",
      reason: "chmod may change the machine: the read-only policy allows inspection commands only",
    });
  });

  it("prefer a refusal to a question when a line has both", () => {
    expect(judgeCommand({ preset: "read-only" }, "eval x; rm /tmp/a").decision).toBe("refuse");
  });

  it("cut a long part", () => {
    const decision = judgeCommand({ preset: "read-only" }, `touch ${"a".repeat(500)}`);
    expect(decision.decision !== "allow" && decision.part.length).toBeLessThanOrEqual(160);
  });
});

describe("scripts whose text is known", () => {
  it("judge `bash FILE` and `source FILE` as the file's text, and ask about an unknown file", () => {
    const policy: CommandPolicy = { preset: "no-destructive" };
    const scripts = new Map([
      ["/root/fix.sh", "set -e\nsystemctl restart nginx\n"],
      ["/root/bad.sh", "ls\nrm -rf /etc\n"],
    ]);
    expect(judgeCommand(policy, "bash /root/fix.sh", scripts).decision).toBe("allow");
    expect(judgeCommand(policy, ". /root/fix.sh", scripts).decision).toBe("allow");
    expect(judgeCommand(policy, "sh /root/bad.sh; echo done", scripts)).toMatchObject({
      decision: "refuse",
      part: "rm -rf /etc",
    });
    expect(judgeCommand(policy, "bash /root/other.sh", scripts).decision).toBe("ask");
  });
});

describe("judgeWrite", () => {
  it("refuses every write under read-only", () => {
    expect(judgeWrite({ preset: "read-only" }, "/tmp/x").decision).toBe("refuse");
  });

  it("refuses writes that lock people out or stop the boot under no-destructive", () => {
    for (const path of ["/etc/passwd", "/etc/shadow", "/etc/sudoers", "/boot/grub/grub.cfg"])
      expect(judgeWrite({ preset: "no-destructive" }, path).decision).toBe("refuse");
    expect(judgeWrite({ preset: "no-destructive" }, "/etc/nginx/nginx.conf").decision).toBe(
      "allow",
    );
  });

  it("allows every write with no policy, and follows write_file rules", () => {
    expect(judgeWrite({ preset: "none" }, "/etc/passwd").decision).toBe("allow");
    const policy: CommandPolicy = { preset: "read-only", allow: ["write_file /etc/nginx/*"] };
    expect(judgeWrite(policy, "/etc/nginx/conf.d/a.conf").decision).toBe("allow");
    expect(judgeWrite(policy, "/etc/hosts").decision).toBe("refuse");
    const deny: CommandPolicy = { preset: "none", deny: ["write_file /etc/*"] };
    expect(judgeWrite(deny, "/etc/hosts")).toMatchObject({
      decision: "refuse",
      reason: 'it matches the deny rule "write_file /etc/*"',
    });
  });
});

describe("custom rules", () => {
  it("allow a command the preset refuses, and only that one", () => {
    const policy: CommandPolicy = { preset: "read-only", allow: ["systemctl restart *"] };
    expect(judgeCommand(policy, "systemctl restart nginx").decision).toBe("allow");
    expect(judgeCommand(policy, "systemctl stop nginx").decision).toBe("refuse");
    expect(judgeCommand(policy, "sudo bash -c 'systemctl restart nginx'").decision).toBe("allow");
  });

  it("deny wins over allow, and applies inside substitutions, bash -c and on <host>", () => {
    const policy: CommandPolicy = {
      preset: "none",
      allow: ["systemctl *"],
      deny: ["systemctl stop"],
    };
    expect(judgeCommand(policy, "systemctl restart nginx").decision).toBe("allow");
    for (const line of [
      "systemctl stop nginx",
      "/bin/systemctl stop nginx",
      "echo $(systemctl stop nginx)",
      "bash -c 'systemctl stop nginx'",
      "on web systemctl stop web-nginx",
    ])
      expect(judgeCommand(policy, line)).toMatchObject({
        decision: "refuse",
        reason: 'it matches the deny rule "systemctl stop"',
      });
  });

  it("match the program by glob and the arguments as written, in order", () => {
    const policy: CommandPolicy = { preset: "none", deny: ["mkfs*", "rm -rf"] };
    expect(judgeCommand(policy, "mkfs.ext4 /dev/vdb").decision).toBe("refuse");
    expect(judgeCommand(policy, "rm -rf /tmp/x").decision).toBe("refuse");
    expect(judgeCommand(policy, "rm -fr /tmp/x").decision).toBe("allow");
  });

  it("make a judge with a wrong rule throw, saying what to fix", () => {
    expect(() => judgeCommand({ preset: "none", deny: ["ls | grep"] }, "ls")).toThrow(
      /one simple command/,
    );
  });
});
