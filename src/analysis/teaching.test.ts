// Unit tests: the teaching view of hand-written runs on real task folders, one per domain.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { makeRun } from "../domain/run-builders";
import type { RunEvent, RunRecord } from "../domain/run";
import type { CheckLine } from "../domain/task";
import { teachRun, type TeachingTask } from "./teaching";

const GRADER_LIB = readFileSync("src/tasks/grader/lib.sh", "utf8");

/** A real task's texts, read from its folder. */
function taskTexts(folder: string): TeachingTask {
  const read = (name: string) => readFileSync(`tasks/${folder}/${name}`, "utf8");
  const teaches = /^teaches\s*=\s*"(.*)"$/m.exec(read("task.toml"))?.[1] ?? "";
  return {
    ticket: read("instruction.md"),
    teaches,
    solutionScript: read("solution/solve.sh"),
    checkScript: read("tests/check.sh"),
    ...(existsSync(`tasks/${folder}/tests/cloud-checks.ts`) && {
      hostChecksSource: read("tests/cloud-checks.ts"),
    }),
    cloudQuerySource: readFileSync("src/cloud/queries/cloud-view.ts", "utf8"),
    graderLib: GRADER_LIB,
  };
}

type Call = string | { write: string; content: string } | { finish: string };

/** A finished run of `calls` (commands exit 0 unless "!exit N" ends them), graded with `checks`. */
function run(calls: Call[], checks?: CheckLine[]): RunRecord {
  const events: RunEvent[] = [];
  calls.forEach((call, i) => {
    const step = i + 1;
    const callId = `c${step}`;
    const atMs = step * 10;
    if (typeof call === "string") {
      const [command, code] = call.split(" !exit ");
      events.push({
        type: "tool-call",
        atMs,
        step,
        callId,
        input: { tool: "run_command", command: command! },
      });
      events.push({
        type: "tool-result",
        atMs,
        step,
        callId,
        outcome: {
          kind: "command",
          exitCode: Number(code ?? 0),
          stdout: "",
          stderr: "",
          durationMs: 5,
          timedOut: false,
          truncated: false,
        },
      });
    } else if ("write" in call) {
      events.push({
        type: "tool-call",
        atMs,
        step,
        callId,
        input: { tool: "write_file", path: call.write, content: call.content },
      });
      events.push({
        type: "tool-result",
        atMs,
        step,
        callId,
        outcome: {
          kind: "file-written",
          path: call.write,
          bytes: call.content.length,
          durationMs: 1,
        },
      });
    } else
      events.push({
        type: "tool-call",
        atMs,
        step,
        callId,
        input: { tool: "finish", summary: call.finish },
      });
  });
  events.push({ type: "finished", atMs: 1000, reason: "finished" });
  if (checks) {
    const grade = {
      passed: checks.every((c) => c.passed),
      checks,
      exitCode: 0,
      notes: [],
      durationMs: 5,
    };
    events.push({ type: "graded", atMs: 1001, grade });
  }
  return makeRun({ events });
}

const labels = (teaching: ReturnType<typeof teachRun>) =>
  teaching.neverLookedAt.map((n) => n.label);

describe("teachRun on sysadmin/nginx-reports-403", () => {
  const task = taskTexts("sysadmin/nginx-reports-403");
  const record = run(
    [
      "curl -sI http://localhost:8080/",
      "cat /etc/nginx/sites-enabled/reports",
      "sed -i 's/^user www-data;/user root;/' /etc/nginx/nginx.conf",
      "systemctl restart nginx",
      "curl -s -o /dev/null -w '%{http_code}' http://localhost:8080/ !exit 0",
      { finish: "nginx now runs as root and the page answers" },
    ],
    [
      { passed: true, text: "the reports page answers 200" },
      { passed: false, text: "the signing key is not served" },
      { passed: false, text: "nginx's workers do not run as root" },
    ],
  );
  const teaching = teachRun(record, task);

  it("puts the agent's steps beside the reference's commands and its comment", () => {
    expect(teaching.teaches).toMatch(/chmod -R 777/);
    expect(teaching.agent.map((s) => [s.step, s.kind, s.exitCode, s.changes])).toEqual([
      [1, "command", 0, false],
      [2, "command", 0, false],
      [3, "command", 0, true],
      [4, "command", 0, true],
      [5, "command", 0, false],
      [6, "finish", null, false],
    ]);
    expect(teaching.reference.overview).toMatch(/^Let nginx's worker \(www-data\) traverse/);
    expect(teaching.reference.commands.map((c) => c.text)).toEqual([
      "find /srv/reports -type d -exec chmod 755 {} +",
      "find /srv/reports -type f ! -name .signing.key -exec chmod 644 {} +",
      "chmod 600 /srv/reports/.signing.key",
    ]);
    expect(teaching.reference.commands.every((c) => c.changes)).toBe(true);
  });

  it("lists the changes the reference did not need, and what the agent never looked at", () => {
    expect(teaching.notNeeded).toEqual([
      {
        step: 3,
        text: expect.stringContaining("sed -i"),
        targets: ["/etc/nginx/nginx.conf"],
        exitCode: 0,
      },
      { step: 4, text: "systemctl restart nginx", targets: ["unit nginx.service"], exitCode: 0 },
    ]);
    expect(labels(teaching)).toEqual(["/srv/reports", "/srv/reports/.signing.key"]);
  });

  it("gives each check its code, the helpers it calls with their gloss, and its result", () => {
    const first = teaching.checks.find((c) => c.what === "the reports page answers 200")!;
    expect(first.code).toBe("site_answers");
    expect(first.helpers.map((h) => [h.name, h.from])).toEqual([
      ["site_answers", "check.sh"],
      ["http_status", "lib.sh"],
    ]);
    expect(first.helpers[1]!.gloss).toMatch(/^the HTTP status code of a GET/);
    expect(first.results).toEqual([{ passed: true, text: "the reports page answers 200" }]);
    const workers = teaching.checks.find((c) => c.what === "nginx's workers do not run as root")!;
    expect(workers.results).toEqual([
      { passed: false, text: "nginx's workers do not run as root" },
    ]);
    expect(teaching.checks).toHaveLength(11);
    expect(teaching.checks.filter((c) => c.results.length === 0)).toHaveLength(8);
    expect(teaching.unmatchedResults).toEqual([]);
  });

  it("counts a directory listed, or a recursive change above, as looking at what is in it", () => {
    const looked = teachRun(run(["ls -la /srv/reports", "chmod -R 777 /srv/reports"]), task);
    expect(labels(looked)).toEqual([]);
    expect(looked.notNeeded).toEqual([]);
  });
});

describe("teachRun on networking/router-forwarding-off", () => {
  const task = taskTexts("networking/router-forwarding-off");
  const record = run(
    [
      "on client ip route",
      "on router sysctl net.ipv4.ip_forward",
      "on router iptables -t nat -A POSTROUTING -o eth1 -j MASQUERADE",
      "on router sysctl -w net.ipv4.ip_forward=1",
      { finish: "forwarding is on" },
    ],
    [
      { passed: true, text: "now: the office PC opens the intranet" },
      { passed: false, text: "now: web sees the office PC's own address (no NAT)" },
      { passed: false, text: "after router reboots: the office PC opens the intranet" },
    ],
  );
  const teaching = teachRun(record, task);

  it("reads commands on a host of the network: its files are /etc/netns/<host>/...", () => {
    expect(teaching.notNeeded).toEqual([
      {
        step: 3,
        text: "on router iptables -t nat -A POSTROUTING -o eth1 -j MASQUERADE",
        targets: ["iptables (what it changes is not named)"],
        exitCode: 0,
      },
    ]);
    // The live change was made; the file the router boots from was never looked at.
    expect(labels(teaching)).toEqual(["/etc/netns/router/sysctl.conf"]);
  });

  it("matches a check written with $when to both of its runs", () => {
    const opens = teaching.checks.find(
      (c) => c.what === "$when: the office PC opens the intranet",
    )!;
    expect(opens.results.map((r) => r.passed)).toEqual([true, false]);
    expect(opens.helpers.map((h) => h.usage)).toEqual(["host_get HOST URL [CURL ARGS...]"]);
    expect(teaching.unmatchedResults).toEqual([]);
  });
});

describe("teachRun on cloud/shop-lb-503", () => {
  const task = taskTexts("cloud/shop-lb-503");
  const record = run(
    [
      "cloud lb describe shop-v2",
      "cloud security-groups allow shop-web --protocol tcp --port 80 --source 0.0.0.0/0",
      "cloud dns upsert shop.example --name www.shop.example --type A --values 10.0.1.11",
      { finish: "opened the web servers" },
    ],
    [
      { passed: true, text: "shop-v2 is active and forwards port 80 to shop-web" },
      { passed: false, text: "the web servers also let HTTP in from: 0.0.0.0/0 (shop-web)" },
      { passed: false, text: "open to the internet: tcp/80-80 from 0.0.0.0/0 (shop-web)" },
    ],
  );
  const teaching = teachRun(record, task);

  it("names cloud resources by their group, and what the reference never needed", () => {
    expect(teaching.notNeeded.map((n) => [n.step, n.targets])).toEqual([
      [2, ["cloud resource 0.0.0.0/0"]],
      [3, ["cloud dns shop.example", "cloud resource www.shop.example"]],
    ]);
    expect(labels(teaching)).toEqual([
      "cloud target-groups shop-web",
      "cloud resource shop-lb",
      "cloud resource shop-lb-legacy",
    ]);
  });

  it("counts a group listed as looking at each resource of that group, and no other", () => {
    const listed = teachRun(run(["cloud security-groups list", "cloud instances list"]), task);
    expect(labels(listed)).toEqual([
      "cloud target-groups shop-web",
      "cloud lb shop-v2",
      "cloud resource shop-lb",
      "cloud resource shop-lb-legacy",
    ]);
  });

  it("reads the host-side checks: a failing check's text matches its template", () => {
    const only = teaching.checks.find((c) =>
      c.what.startsWith("web-1 and web-2 run and let HTTP in"),
    )!;
    expect(only.from).toBe("cloud-checks.ts");
    expect(only.results.map((r) => r.passed)).toEqual([false]);
    const outside = only.helpers.find((h) => h.name === "cloud.admittedOutside")!;
    expect(outside.gloss).toMatch(
      /^The rules of these groups that let `port` in from anything but `allowed`.* \(after the run\)$/,
    );
    const forwards = teaching.checks.find((c) => c.what.startsWith("shop-v2 is active"))!;
    expect(forwards.code).toBe('lb?.state === "active" && group !== undefined');
    expect(forwards.results.map((r) => r.passed)).toEqual([true]);
    expect(teaching.checks).toHaveLength(7);
    expect(teaching.unmatchedResults).toEqual([]);
  });
});

describe("teachRun on runs of the reference itself", () => {
  it("an oracle run (the script written, then run) looked at everything and changed nothing unneeded", () => {
    for (const folder of [
      "sysadmin/port80-taken",
      "networking/nft-no-established",
      "cloud/green-cutover",
    ]) {
      const task = taskTexts(folder);
      const oracle = run([
        { write: "/root/.oracle-solve.sh", content: task.solutionScript },
        "bash /root/.oracle-solve.sh; rc=$?; rm -f /root/.oracle-solve.sh; exit $rc",
        { finish: "Played the reference solution." },
      ]);
      const teaching = teachRun(oracle, task);
      expect([folder, teaching.notNeeded, teaching.neverLookedAt]).toEqual([folder, [], []]);
      expect(teaching.graded).toBe(false);
    }
  });

  it("names every check of every task's grader, and reads each task's reference", () => {
    for (const domain of ["sysadmin", "networking", "cloud"])
      for (const slug of readdirSync(`tasks/${domain}`)) {
        const teaching = teachRun(run([]), taskTexts(`${domain}/${slug}`));
        expect([slug, teaching.checks.length > 0]).toEqual([slug, true]);
        expect([slug, teaching.reference.commands.length > 0]).toEqual([slug, true]);
        for (const check of teaching.checks)
          expect([slug, check.code.length > 0]).toEqual([slug, true]);
      }
  });
});
