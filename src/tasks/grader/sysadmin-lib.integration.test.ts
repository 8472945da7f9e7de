// Integration: the grader lib's sysadmin helpers in the real VM: what reboot_unit forgets and leaves, and logins.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startNodeVm } from "../../vm/driver/node-vm";
import type { V86Vm } from "../../vm/driver/v86-vm";
import GRADER_LIB from "./lib.sh?raw";

const LIB_PATH = "/run/opslab-grader/lib.sh";
const GRADER_TIMEOUT_MS = 120_000;
let vm: V86Vm;

/** Runs a snippet after the lib as a grader runs: a clean environment, no start-up files. */
async function asGrader(snippet: string): Promise<string> {
  await vm.writeFile("/run/opslab-grader/snippet.sh", `source ${LIB_PATH}\n${snippet}\n`);
  const result = await vm.exec(
    "env -i HOME=/root PATH=/usr/sbin:/usr/bin:/sbin:/bin LANG=C.UTF-8 /bin/bash --noprofile --norc /run/opslab-grader/snippet.sh",
    { timeoutMs: GRADER_TIMEOUT_MS },
  );
  return result.stdout + result.stderr;
}

/** A long-running service that writes $GREETING to /run/<name>.out when it starts. */
function greeterUnit(name: string, greeting: string, install: boolean): string {
  return [
    "[Service]",
    `Environment=GREETING=${greeting}`,
    `ExecStart=/bin/sh -c 'echo $GREETING > /run/${name}.out; exec sleep 1000'`,
    ...(install ? ["[Install]", "WantedBy=multi-user.target"] : []),
    "",
  ].join("\n");
}

beforeAll(async () => {
  vm = await startNodeVm();
  await vm.writeFile(LIB_PATH, GRADER_LIB, { mode: 0o600 });
  const units: [string, string][] = [
    ["/etc/systemd/system/greeter.service", greeterUnit("greeter", "from-etc", true)],
    [
      "/run/systemd/system/greeter.service.d/runtime.conf",
      "[Service]\nEnvironment=GREETING=from-run\n",
    ],
    ["/etc/systemd/system/bootless.service", greeterUnit("bootless", "x", true)],
    ["/etc/systemd/system/second.service", greeterUnit("second", "two", true)],
    [
      "/etc/systemd/system/failing.service",
      "[Service]\nExecStart=/bin/sh -c 'exit 3'\n[Install]\nWantedBy=multi-user.target\n",
    ],
    // Like a networking task's host units: they live in /run on purpose.
    ["/run/systemd/system/bystander.service", greeterUnit("bystander", "mine", false)],
    [
      "/run/systemd/system/bystander.service.d/own.conf",
      "[Service]\nEnvironment=GREETING=still-mine\n",
    ],
  ];
  for (const [path, text] of units) await vm.writeFile(path, text);
  const ready = await vm.exec(
    [
      "ln -s /etc/systemd/system/greeter.service /etc/systemd/system/multi-user.target.wants/",
      "ln -s /etc/systemd/system/second.service /etc/systemd/system/multi-user.target.wants/",
      "ln -s /etc/systemd/system/failing.service /etc/systemd/system/multi-user.target.wants/",
      "systemctl daemon-reload",
      "systemctl enable --runtime bootless.service",
      "systemctl start greeter.service bystander.service bootless.service",
      "cat /run/greeter.out /run/bystander.out",
    ].join(" && "),
    { timeoutMs: GRADER_TIMEOUT_MS },
  );
  expect(ready.stdout).toBe("from-run\nstill-mine\n");
});

afterAll(async () => {
  await vm?.destroy();
});

describe("reboot_unit", () => {
  it("forgets the unit's configuration under /run and starts it from /etc", async () => {
    const out = await asGrader(
      "reboot_unit greeter.service; echo rc=$?; cat /run/greeter.out; ls /run/systemd/system/greeter.service.d 2>&1 | grep -c 'No such'",
    );
    expect(out).toBe("rc=0\nfrom-etc\n1\n");
  });

  it("leaves other units' files under /run, and the units themselves, alone", async () => {
    const out = await asGrader(
      "cat /run/systemd/system/bystander.service.d/own.conf; systemctl is-active bystander.service; runtime_config_of bystander.service",
    );
    expect(out).toContain("Environment=GREETING=still-mine\nactive\n");
    expect(out).toContain("/run/systemd/system/bystander.service\n");
  });

  it("restarts several units, and fails when one of them does not come up", async () => {
    const out = await asGrader(
      [
        "reboot_unit greeter.service second.service; echo rc=$?; cat /run/second.out",
        "reboot_unit second.service failing.service; echo rc=$?",
        "systemctl is-active second.service failing.service",
      ].join("; "),
    );
    // NOTE: reboot_unit says on stderr (after the output here) why it stopped waiting.
    expect(out).toBe(
      "rc=0\ntwo\nrc=1\nactive\nfailed\nfailing.service has failed (exit-code) and systemd will not start it again\n",
    );
  });

  it("leaves a unit enabled only for this boot stopped, and fails", async () => {
    const out = await asGrader(
      "enabled_at_boot bootless.service || echo not-at-boot; reboot_unit bootless.service; echo rc=$?; systemctl is-active bootless.service",
    );
    expect(out).toBe("not-at-boot\nrc=1\ninactive\n");
  });
});

describe("eventually_up", () => {
  it("gives up at once on a unit that crash-loops or has failed, saying why, and waits for one that comes up", async () => {
    await vm.writeFile(
      "/etc/systemd/system/crashing.service",
      [
        "[Unit]",
        "StartLimitIntervalSec=0",
        "[Service]",
        "ExecStart=/bin/sh -c 'sleep 0.5; exit 3'",
        "Restart=on-failure",
        "RestartSec=1",
        "[Install]",
        "WantedBy=multi-user.target",
        "",
      ].join("\n"),
    );
    const out = await asGrader(
      [
        "ln -s /etc/systemd/system/crashing.service /etc/systemd/system/multi-user.target.wants/",
        "systemctl daemon-reload",
        "ms() { echo $((${EPOCHREALTIME/./} / 1000)); }",
        "start=$(ms); reboot_unit crashing.service 2>/dev/null",
        'eventually_up crashing.service 60 false 2>&1; echo "rc=$? early: $(($(ms) - start < 30000))"',
        "systemctl stop crashing.service",
        'start=$(ms); eventually_up failing.service 60 false 2>&1; echo "rc=$? early: $(($(ms) - start < 30000))"',
        "reboot_unit second.service && eventually_up second.service 60 'cat /run/second.out'",
      ].join("\n"),
    );
    expect(out).toMatch(
      /^crashing\.service crash-loops: it ended again after systemd restarted it, \d restarts while the grader waited: not waited for\nrc=1 early: 1\n/,
    );
    expect(out).toContain(
      "failing.service has failed (exit-code) and systemd will not start it again: not waited for\nrc=1 early: 1\ntwo\n",
    );
  });
});

describe("logs_in, logins, pam_account_ok and pam_accounts", () => {
  it("tell an expired account from one in good standing, and a wrong password from the right one", async () => {
    const out = await asGrader(
      [
        "for user in okay gone; do useradd --create-home --shell /bin/bash $user; echo $user:Pw-4-tests | chpasswd; done",
        "chage --expiredate 2024-06-30 gone",
        "logs_in okay Pw-4-tests && echo okay-in",
        "logs_in okay wrong-one || echo okay-wrong-refused",
        "logs_in gone Pw-4-tests || echo gone-refused",
        "pam_account_ok login okay && echo okay-admitted",
        "pam_account_ok sshd gone || echo gone-not-admitted",
        "pam_accounts login:okay sshd:gone su:okay su-l:gone",
        "logins okay:wrong-one gone:Pw-4-tests okay:Pw-4-tests",
      ].join("\n"),
    );
    expect(out).toBe(
      "okay-in\nokay-wrong-refused\ngone-refused\nokay-admitted\ngone-not-admitted\n" +
        "login:okay admitted\nsshd:gone refused\nsu:okay admitted\nsu-l:gone refused\n" +
        "okay refused\ngone refused\nokay in\n",
    );
  });
});
