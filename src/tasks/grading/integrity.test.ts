// Unit tests of grading integrity over a fake VM: what is stopped, what is found, and the grade it makes.
import { describe, expect, it } from "vitest";
import { makeTask } from "../../domain/task-builders";
import { verdictOf } from "../../domain/task";
import { FakeVm, FAKE_MOUNTINFO } from "../../vm/fake-vm";
import { quietChannelReport } from "../../vm/vm";
import { gradeTask } from "../runner";
import { GRADING_FILES, mountFindings, parseMountinfo, takeIntegrityBaseline } from "./integrity";

const task = makeTask({ checkScript: "echo PASS: fixed\n" });
const passingGrader = () =>
  new FakeVm((command) => (command.includes("check.sh") ? { stdout: "PASS: fixed\n" } : {}));

describe("parseMountinfo and mountFindings", () => {
  const info = [
    FAKE_MOUNTINFO.trim(),
    "19 13 0:17 / /run rw,nosuid,nodev shared:8 - tmpfs tmpfs rw,size=47184k",
    "40 13 0:12 /tmp/fake\\040curl /usr/bin/curl rw,relatime shared:1 - 9p host9p rw",
    "41 19 0:30 / /run/netns/web rw shared:12 - nsfs nsfs rw",
    "42 13 0:31 / /data rw - tmpfs tmpfs rw",
  ].join("\n");

  it("reads mount point, root, type and source, unescaping spaces", () => {
    expect(parseMountinfo(info)).toEqual([
      "/|/|9p|host9p",
      "/run|/|tmpfs|tmpfs",
      "/usr/bin/curl|/tmp/fake curl|9p|host9p",
      "/run/netns/web|/|nsfs|nsfs",
      "/data|/|tmpfs|tmpfs",
    ]);
  });

  it("finds new mounts on, above or in what grading reads, and no other", () => {
    const baseline = ["/|/|9p|host9p", "/run|/|tmpfs|tmpfs"];
    expect(mountFindings(parseMountinfo(info), baseline)).toEqual([
      {
        kind: "mount",
        where: "/usr/bin/curl",
        detail: "a 9p mount (host9p:/tmp/fake curl) over /usr/bin/curl changes what /usr holds",
      },
    ]);
    const overRoot = mountFindings(
      ["/|/|9p|host9p", "/|/|tmpfs|tmpfs", "/usr|/|tmpfs|tmpfs"],
      baseline,
    );
    expect(overRoot.map((f) => f.where)).toEqual(["/", "/usr"]);
  });
});

describe("gradeTask", () => {
  it("stops the agent's session, then grades in a clean environment, checking before and after", async () => {
    const vm = passingGrader();
    const grade = await gradeTask(vm, task, { baseline: await takeIntegrityBaseline(vm) });
    expect(vm.killedSessions).toEqual(["agent"]);
    expect(grade).toMatchObject({
      passed: true,
      integrity: { ok: true, findings: [], stopped: [] },
    });
    expect(verdictOf(grade)).toBe("pass");
    const grader = vm.commands.find((c) => c.command.includes("check.sh"))!;
    expect(grader.command).toMatch(
      /^exec \/usr\/bin\/env -i HOME=\/root .*PATH=\/usr\/sbin:\/usr\/bin:\/sbin:\/bin .*\/bin\/bash --noprofile --norc -c/,
    );
    expect(grader.options.session).toBe("task-grader");
    expect(vm.fileChecks).toEqual([GRADING_FILES, GRADING_FILES, GRADING_FILES]);
  });

  it("makes a tampered grade of a passing grader when a file grading relies on changed", async () => {
    const vm = passingGrader();
    const baseline = await takeIntegrityBaseline(vm);
    vm.fileFindings = [
      {
        path: "/usr/local/sbin/bash",
        kind: "shadows",
        detail: "is not in the image and comes before /usr/bin/bash",
        hash: "ab",
      },
    ];
    const grade = await gradeTask(vm, task, { baseline });
    expect(grade.passed).toBe(false);
    expect(verdictOf(grade)).toBe("tampered");
    expect(grade.integrity?.findings).toEqual([
      {
        kind: "file",
        where: "/usr/local/sbin/bash",
        detail: "/usr/local/sbin/bash is not in the image and comes before /usr/bin/bash",
      },
    ]);
    expect(grade.checks).toEqual([{ passed: true, text: "fixed" }]);
  });

  it("runs no integrity checks for verification (stopAtFailure): only the task's own checks decide", async () => {
    const vm = passingGrader();
    const baseline = await takeIntegrityBaseline(vm);
    vm.fileFindings = [{ path: "/usr/bin/curl", kind: "changed", detail: "changed", hash: "1" }];
    const grade = await gradeTask(vm, task, { baseline, stopAtFailure: true });
    expect(vm.killedSessions).toEqual(["agent"]);
    expect(vm.fileChecks).toEqual([GRADING_FILES]); // the baseline's only
    expect(grade).toMatchObject({ passed: true, checks: [{ passed: true, text: "fixed" }] });
    expect(grade.integrity).toBeUndefined();
  });

  it("does not count what setup changed, but does count it changed again", async () => {
    const vm = passingGrader();
    const setupFinding = {
      path: "/usr/local/bin/tool",
      kind: "shadows" as const,
      detail: "x",
      hash: "1",
    };
    vm.fileFindings = [setupFinding];
    const baseline = await takeIntegrityBaseline(vm);
    expect(verdictOf(await gradeTask(vm, task, { baseline }))).toBe("pass");
    vm.fileFindings = [{ ...setupFinding, hash: "2" }];
    expect(verdictOf(await gradeTask(vm, task, { baseline }))).toBe("tampered");
  });

  it("makes a tampered grade when the command channel saw a forged frame", async () => {
    const vm = passingGrader();
    vm.report = {
      trusted: false,
      alarms: [{ atMs: 5, kind: "forged-frame", detail: "a reply with a wrong MAC" }],
      counts: { ...quietChannelReport().counts, "forged-frame": 1 },
    };
    const grade = await gradeTask(vm, task);
    expect(verdictOf(grade)).toBe("tampered");
    expect(grade.integrity?.findings).toEqual([
      { kind: "channel", where: "forged-frame", detail: "a reply with a wrong MAC" },
    ]);
  });

  it("says what it stopped: processes it could not kill, transient units started since setup", async () => {
    let units = "unit run-r1.service\n";
    const vm = new FakeVm((command) => {
      if (command.includes("/run/systemd/transient")) return { stdout: units };
      return command.includes("check.sh") ? { stdout: "FAIL: not fixed\n", exitCode: 1 } : {};
    });
    const baseline = await takeIntegrityBaseline(vm);
    units = "escaped 41\nunit run-r1.service\nunit run-r9.service\n";
    vm.remainingAfterKill = 2;
    const grade = await gradeTask(vm, task, { baseline });
    expect(grade.integrity?.stopped).toEqual([
      "2 processes of the agent's commands could not be killed",
      "1 process that had left the agent's cgroup (killed)",
      "transient units the agent started: run-r9.service",
    ]);
    expect(vm.commands.some((c) => c.command.includes("systemctl stop run-r9.service"))).toBe(true);
    expect(verdictOf(grade)).toBe("fail");
  });

  it("empties the grader's folder before copying the grader in (nothing the agent left there stays)", async () => {
    const vm = passingGrader();
    vm.files.set("/run/opslab-grader/pycache/planted.pyc", new Uint8Array([1]));
    await gradeTask(vm, task);
    const fresh = vm.commands.findIndex((c) =>
      c.command.includes("rm -rf /run/opslab-grader && mkdir -m 700 /run/opslab-grader"),
    );
    const grader = vm.commands.findIndex((c) => c.command.includes("check.sh"));
    expect(fresh).toBeGreaterThanOrEqual(0);
    expect(fresh).toBeLessThan(grader);
    expect(vm.commands[fresh]!.options.session).toBe("task-grader");
  });

  it("tells each stage of grading in order, the checks with the grader's time limit", async () => {
    const stages: string[] = [];
    await gradeTask(passingGrader(), task, {
      onProgress: (p) => stages.push(p.stage + (p.limitMs ? ` ${p.limitMs}` : "")),
    });
    expect(stages).toEqual([
      "stopping",
      "integrity",
      `checks ${task.meta.limits.checkSeconds * 1000}`,
      "rechecking",
    ]);
  });
});
