// Unit tests of the grader lib's plain-bash helpers (checks, their order, checks run later), in the
// host's bash: no VM needed for what only bash does. The VM-facing helpers have integration tests.
import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { createServer, type AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import GRADER_LIB from "./lib.sh?raw";

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "grader-lib-"));
  await writeFile(join(dir, "lib.sh"), GRADER_LIB);
});
afterEach(() => rm(dir, { recursive: true, force: true }));

/** Runs a grader snippet after the lib, as the runner does: no start-up files, a clean environment. */
async function grader(
  snippet: string,
  stopAtFailure = false,
): Promise<{ lines: string[]; code: number }> {
  await writeFile(join(dir, "check.sh"), `source ${join(dir, "lib.sh")}\n${snippet}\n`);
  const { stdout, code } = await promisify(execFile)(
    "/bin/bash",
    ["--noprofile", "--norc", join(dir, "check.sh")],
    {
      env: {
        PATH: "/usr/sbin:/usr/bin:/sbin:/bin",
        ...(stopAtFailure ? { GRADER_STOP_AT_FAILURE: "1" } : {}),
      },
    },
  ).then(
    (r) => ({ stdout: r.stdout, code: 0 }),
    (e: { stdout: string; code: number }) => ({ stdout: e.stdout, code: e.code }),
  );
  return { lines: stdout.trim().split("\n"), code };
}

describe("grader lib", () => {
  it("reports each check in order and exits 0 only when every one passed", async () => {
    expect(await grader(`check "one" true\ncheck "two" false\nfinish`)).toMatchObject({
      lines: ["PASS: one", "FAIL: two"],
      code: 1,
    });
    expect((await grader(`check "one" true\nfinish`)).code).toBe(0);
  });

  it("ends at the first failed check when told to stop at a failure, its earlier checks reported", async () => {
    const snippet = [
      `check_later "later passes" 'sleep 0.2'`,
      `check_later "later fails" false`,
      `check "held back behind them" true`,
      `finish`,
    ].join("\n");
    expect(
      await grader(`check "one" true\ncheck "two" false\ncheck "three" true\nfinish`, true),
    ).toEqual({
      lines: ["PASS: one", "FAIL: two"],
      code: 1,
    });
    // A later check's failure ends it where the grade lists it: when settled, in check.sh's order.
    expect(await grader(snippet, true)).toEqual({
      lines: ["PASS: later passes", "FAIL: later fails"],
      code: 1,
    });
    expect((await grader(snippet)).lines).toHaveLength(3);
    // A failure behind a later check still running ends it there: the checks after it never run.
    const behind = [
      `check_later "later passes" 'sleep 0.2'`,
      `check "fails" false`,
      `check "never runs" 'touch ${dir}/ran'`,
      `finish`,
    ].join("\n");
    expect(await grader(behind, true)).toEqual({
      lines: ["PASS: later passes", "FAIL: fails"],
      code: 1,
    });
    expect(existsSync(`${dir}/ran`)).toBe(false);
    expect(await grader(`check "one" true\nfinish`, true)).toEqual({
      lines: ["PASS: one"],
      code: 0,
    });
  });

  it("runs later checks beside the checks that follow, and lists them in the grader's order", async () => {
    // "waits for go" passes only if "sets go" runs while it still waits: beside it, not after it.
    const waitForGo = `for i in $(seq 100); do [ -e ${dir}/go ] && exit 0; sleep 0.1; done; exit 1`;
    const { lines, code } = await grader(
      [
        `check_later "waits for go" '${waitForGo}'`,
        `check_later "fails at once" false`,
        `check "sets go" 'touch ${dir}/go'`,
        `check_later "passes later" 'sleep 0.2'`,
        `pass "decided"`,
        `finish`,
      ].join("\n"),
    );
    expect(lines).toEqual([
      "PASS: waits for go",
      "FAIL: fails at once",
      "PASS: sets go",
      "PASS: passes later",
      "PASS: decided",
    ]);
    expect(code).toBe(1);
  });

  it("settles the checks still running before a step changes the system", async () => {
    const { lines } = await grader(
      [
        `check_later "before the restart" '[ ! -e ${dir}/restarted ]; r=$?; sleep 0.5; exit $r'`,
        `doing step "restarting the service"`,
        `touch ${dir}/restarted`,
        `check "after the restart" '[ -e ${dir}/restarted ]'`,
        `finish`,
      ].join("\n"),
    );
    expect(lines).toEqual(["PASS: before the restart", "PASS: after the restart"]);
    const notes = (await readFile(join(dir, "progress"), "utf8")).split("\n").filter(Boolean);
    // Each note: what, then when it began (EPOCHREALTIME); the wait for the running check is a note too.
    expect(notes.map((line) => line.split("\t").slice(0, 2).join("\t"))).toEqual([
      "check\tbefore the restart",
      "step\twaiting for the checks still running",
      "step\trestarting the service",
      "check\tafter the restart",
    ]);
    const times = notes.map((line) => Number(line.split("\t")[2]));
    expect(times.every(Number.isFinite)).toBe(true);
    expect(times).toEqual([...times].sort((a, b) => a - b));
    // The step began once the running check (0.5 s) had settled.
    expect(times[2]! - times[1]!).toBeGreaterThan(0.3);
  });

  it("fails the grade when a later check fails, even with no finish of its own to settle it", async () => {
    const { lines, code } = await grader(
      `check_later "dropped" false\nsettle_checks\nexit $failed`,
    );
    expect(lines).toEqual(["FAIL: dropped"]);
    expect(code).toBe(1);
  });

  it("forgets the units' runtime configuration, and reloads systemd once and only when it changed", async () => {
    // systemctl and runtime_config_in stand in for the VM's: what systemd would list under /run is here.
    await writeFile(join(dir, "runtime drop-in.conf"), "");
    const { lines } = await grader(
      [
        `mkdir -p ${dir}/unit.d && touch ${dir}/unit.d/override.conf`,
        `systemctl() { echo "systemctl $*" >>${dir}/calls; [ "$1" != show ] || printf '/etc/systemd/system/a.service\\n\\n%s\\n' "$NEED_RELOAD"; }`,
        `runtime_config_in() { echo "runtime_config_in <$(printf %s "$1" | tr '\\n' ' ')> \${*:2}" >>${dir}/calls; find ${dir} -maxdepth 1 -regex '.*\\.\\(d\\|conf\\)'; }`,
        `NEED_RELOAD=no forget_runtime_config a.service b.service; echo "rc=$?"`,
        `ls ${dir} | grep -c -e conf -e '\.d$'`,
        `NEED_RELOAD=no forget_runtime_config a.service; echo "rc=$?"`,
        `NEED_RELOAD=yes forget_runtime_config a.service; echo "rc=$?"`,
        `cat ${dir}/calls`,
      ].join("\n"),
    );
    const show = (units: string) =>
      `systemctl show -p FragmentPath -p DropInPaths -p NeedDaemonReload --value ${units}`;
    expect(lines).toEqual([
      "rc=0",
      "0",
      "rc=0",
      "rc=0",
      // One systemctl tells what configures the units and whether it changed on disk.
      show("a.service b.service"),
      "runtime_config_in </etc/systemd/system/a.service  no> a.service b.service",
      // What /run held is removed, then systemd reloads once.
      "systemctl daemon-reload",
      // Nothing under /run, nothing changed on disk: no reload.
      show("a.service"),
      "runtime_config_in </etc/systemd/system/a.service  no> a.service",
      // Nothing under /run, but a unit file changed on disk: a reload, as at boot.
      show("a.service"),
      "runtime_config_in </etc/systemd/system/a.service  yes> a.service",
      "systemctl daemon-reload",
    ]);
  });

  it("finds what configures units from /run among what systemctl showed, and nothing else", async () => {
    const { lines } = await grader(
      [
        // A value that is no path, a unit file under /etc, a runtime drop-in, and a generator's (kept at boot).
        `runtime_config_in $'no\\n/etc/systemd/system/a.service\\n/run/systemd/system/a.service.d/x.conf /run/systemd/generator/a.service.d/y.conf' a.service`,
      ].join("\n"),
    );
    expect(lines).toEqual(["/run/systemd/system/a.service.d/x.conf"]);
  });

  it("stops waiting at once when the wait is hopeless, and only then", async () => {
    const { lines } = await grader(
      [
        `n=0; eventually 5 '[ $((n += 1)) -ge 3 ]' false && echo "came true after $n tries"`,
        `n=0; eventually 5 false '[ $((n += 1)) -ge 2 ]' || echo "gave up after $n"`,
      ].join("\n"),
    );
    expect(lines).toEqual(["came true after 3 tries", "gave up after 2"]);
  });

  it("tells a unit that failed or crash-loops, and says so when it will not wait for it", async () => {
    // systemctl stands in for the VM's: each unit's properties come from a file, as `systemctl show` prints them.
    const show = (unit: string, state: string, result: string, restarts: number) =>
      writeFile(
        join(dir, unit),
        `Result=${result}\nNRestarts=${restarts}\nId=${unit}\nActiveState=${state.split(" ")[0]}\n` +
          `SubState=${state.split(" ")[1]}\n`,
      );
    await show("up.service", "active running", "success", 1);
    await show("loop.service", "activating auto-restart", "exit-code", 3);
    await show("dead.service", "failed failed", "start-limit-hit", 2);
    await show("stopped.service", "inactive dead", "success", 0);
    const { lines } = await grader(
      [
        `systemctl() {`,
        `  local props=() value=no unit first=1; shift`,
        `  while [[ $1 == -* ]]; do case $1 in -p) props+=("$2"); shift 2 ;; --value) value=yes; shift ;; esac; done`,
        `  for unit; do`,
        `    ((first)) || echo; first=0`,
        `    grep -E "^($(IFS='|'; echo "\${props[*]}"))=" ${dir}/$unit | if [ $value = yes ]; then cut -d= -f2-; else cat; fi`,
        `  done`,
        `}`,
        `unit_restarts up.service loop.service dead.service; echo`,
        `units_given_up "1 3" up.service loop.service || echo "none given up;" $UNIT_STATES`,
        // one restart more: the first crash alone shows that for a moment (the restart is counted when queued)
        `units_given_up "0 2" up.service loop.service || echo "none given up"`,
        `units_given_up "1 1" up.service loop.service && echo "$GIVEN_UP"`,
        `units_given_up "1 3 2" up.service loop.service dead.service && echo "$GIVEN_UP"`,
        `units_given_up "1 0" up.service stopped.service && echo "$GIVEN_UP"`,
        `ms() { echo $((\${EPOCHREALTIME/./} / 1000)); }`,
        `start=$(ms); eventually_up "up.service loop.service" 1 false; echo "rc=$? waited 1 s: $(($(ms) - start >= 1000))"`,
        `start=$(ms); eventually_up "up.service dead.service" 5 false 2>&1; echo "rc=$? waited 1 s: $(($(ms) - start >= 1000))"`,
        // as reboot_unit notes them when it starts the units: loop.service has crashed since
        `RESTARTS_AT_START[loop.service]=1; eventually_up loop.service 5 false 2>&1; echo "rc=$?"`,
        // hopeless for the grader's own reason: no note of the units
        `start=$(ms); eventually_up up.service 5 false '[ -n up ]' 2>&1; echo "rc=$? waited 1 s: $(($(ms) - start >= 1000))"`,
        `eventually_up up.service 5 true '[ -n up ]' && echo "came true"`,
      ].join("\n"),
    );
    expect(lines).toEqual([
      "1 3 2",
      "none given up; active activating",
      "none given up",
      "loop.service crash-loops: it ended again after systemd restarted it, 2 restarts while the grader waited",
      "dead.service has failed (start-limit-hit) and systemd will not start it again",
      "stopped.service is stopped and nothing is starting it",
      // restarts read when the wait began: nothing crashed since, so it waited the second out
      "rc=1 waited 1 s: 1",
      "dead.service has failed (start-limit-hit) and systemd will not start it again: not waited for",
      "rc=1 waited 1 s: 0",
      "loop.service crash-loops: it ended again after systemd restarted it, 2 restarts while the grader waited: not waited for",
      "rc=1",
      "rc=1 waited 1 s: 0",
      "came true",
    ]);
  });

  it("reads a certificate out of PEM text without openssl: the first one, as PEM and as DER in hex", async () => {
    const leaf = [
      "-----BEGIN CERTIFICATE-----",
      Buffer.from("leaf certificate bytes, long enough to wrap over two lines")
        .toString("base64")
        .replace(/(.{40})/, "$1\n"),
      "-----END CERTIFICATE-----",
    ].join("\n");
    const ca = [
      "-----BEGIN CERTIFICATE-----",
      Buffer.from("issuing CA").toString("base64"),
      "-----END CERTIFICATE-----",
    ].join("\n");
    // what s_client prints around the certificate, then a chain file of the leaf and its CA
    await writeFile(
      join(dir, "out.txt"),
      `CONNECTED(00000003)\nServer certificate\n${leaf}\nsubject=CN = x\n${ca}\n`,
    );
    await writeFile(
      join(dir, "rewrapped.pem"),
      leaf.replace(/\n(?!-)/g, "\n\n").replace("CERTIFICATE-----\n\n", "CERTIFICATE-----\n"),
    );
    const hex = Buffer.from("leaf certificate bytes, long enough to wrap over two lines").toString(
      "hex",
    );
    const { lines } = await grader(
      [
        `first_pem ${join(dir, "out.txt")} | tr '\\n' '|'; echo`,
        `cert_der <${join(dir, "out.txt")}; echo`,
        `[ "$(cert_der ${join(dir, "out.txt")})" = "$(cert_der ${join(dir, "rewrapped.pem")})" ] && echo same`,
        `[ -z "$(cert_der /dev/null)" ] && echo empty`,
      ].join("\n"),
    );
    expect(lines).toEqual([leaf.replaceAll("\n", "|") + "|", hex, "same", "empty"]);
  });

  it("pauses for the time asked without starting a process, again and again", async () => {
    // NOTE: with no PATH, a `sleep` could not even be found: it would say so.
    const { lines } = await grader(
      [
        `ms() { echo $(( \${EPOCHREALTIME/./} / 1000 )); }`,
        `start=$(ms); PATH=/nowhere pause 0.3 2>&1; PATH=/nowhere pause 0.2 2>&1; waited=$(( $(ms) - start ))`,
        `echo "at least 0.5 s: $((waited >= 500)), under 1.5 s: $((waited < 1500))"`,
      ].join("\n"),
    );
    expect(lines).toEqual(["at least 0.5 s: 1, under 1.5 s: 1"]);
  });

  it("tells a TCP port something listens on from one nothing does", async () => {
    const server = createServer();
    await new Promise<void>((done) => server.listen(0, "127.0.0.1", done));
    const { port } = server.address() as AddressInfo;
    try {
      const { lines } = await grader(
        `listening ${port} && echo listens\nlistening 0 || echo "not 0"`,
      );
      expect(lines).toEqual(["listens", "not 0"]);
    } finally {
      await new Promise((done) => server.close(done));
    }
    expect((await grader(`listening ${port} || echo closed`)).lines).toEqual(["closed"]);
  });

  // NOTE: switching accounts needs root, as the grader has in the VM (CI runs as root too).
  it.runIf(process.getuid?.() === 0)(
    "runs a command as another account: its identity and environment, its rights alone",
    async () => {
      const { lines } = await grader(
        [
          `as_user nobody sh -c 'echo "$(id -un) $(id -g) $USER $HOME"'`,
          `as_user nobody test -r /etc/shadow || echo "cannot read"`,
          `as_user no-such-account true || echo "no account"`,
        ].join("\n"),
      );
      expect(lines).toEqual(["nobody 65534 nobody /nonexistent", "cannot read", "no account"]);
    },
  );
});
