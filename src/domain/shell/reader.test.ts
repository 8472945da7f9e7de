// Unit tests: command lines read as the simple commands they run.
import { describe, expect, it } from "vitest";
import { pathsIn, splitCommand } from "./reader";

const programs = (line: string) => splitCommand(line).map((c) => c.program);

describe("splitCommand", () => {
  it("splits on the shell's operators and keeps each command's arguments", () => {
    const commands = splitCommand(
      'systemctl restart nginx && curl -s "http://localhost:8080/" | grep -q ok; echo done',
    );
    expect(commands.map((c) => [c.program, ...c.args])).toEqual([
      ["systemctl", "restart", "nginx"],
      ["curl", "-s", "http://localhost:8080/"],
      ["grep", "-q", "ok"],
      ["echo", "done"],
    ]);
  });

  it("sees through sudo, env assignments, timeout and a path to the program", () => {
    expect(programs("sudo -u root /usr/sbin/nginx -t")).toEqual(["nginx"]);
    expect(programs("FOO=1 env LANG=C timeout 5 ping -c1 10.0.0.1")).toEqual(["ping"]);
    expect(programs("nice -n 5 ionice -c 3 timeout -s KILL 5 du -sh /")).toEqual(["du"]);
    expect(programs("sudo -- ls")).toEqual(["ls"]);
    // A wrapper alone is the program ("env" lists the environment).
    expect(programs("env")).toEqual(["env"]);
  });

  it("reads the script of bash -c as commands", () => {
    expect(programs(`bash -c 'rm -rf /srv/reports && ls'`)).toEqual(["rm", "ls"]);
  });

  it("keeps redirections apart from arguments, 2>&1 included", () => {
    const [echo] = splitCommand("echo /usr/lib/libz.so > /etc/ld.so.preload 2>&1");
    expect(echo).toEqual({
      program: "echo",
      args: ["/usr/lib/libz.so"],
      writes: ["/etc/ld.so.preload"],
      reads: [],
    });
    const [sort] = splitCommand("sort < /etc/passwd >> /tmp/out");
    expect(sort?.reads).toEqual(["/etc/passwd"]);
    expect(sort?.writes).toEqual(["/tmp/out"]);
  });

  it("keeps variables and globs as written, and gives nothing for unreadable text", () => {
    expect(splitCommand("rm -rf $HOME/*")[0]?.args).toEqual(["-rf", "$HOME/*"]);
    expect(splitCommand("")).toEqual([]);
    expect(splitCommand("# only a comment")).toEqual([]);
  });
});

describe("pathsIn", () => {
  it("names the absolute paths of arguments, options and redirections", () => {
    expect(
      pathsIn("chmod 755 /srv/reports/ && cat --config=/etc/x.conf > /tmp/o 2>/dev/null"),
    ).toEqual(["/srv/reports", "/etc/x.conf", "/tmp/o"]);
  });

  it("does not take a URL for a path", () => {
    expect(pathsIn("curl -s http://10.0.2.10/index.html -o /tmp/page")).toEqual(["/tmp/page"]);
  });
});
