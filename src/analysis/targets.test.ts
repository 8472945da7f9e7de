// Unit tests: what a command line names and what it changes.
import { describe, expect, it } from "vitest";
import { targetsOf } from "./targets";

describe("targetsOf", () => {
  it("tells looking from changing: paths, units, recursion", () => {
    expect(targetsOf("cat /etc/nginx/nginx.conf && systemctl status nginx")).toEqual({
      names: [
        { kind: "path", name: "/etc/nginx/nginx.conf" },
        { kind: "unit", name: "nginx.service" },
      ],
      changes: [],
    });
    expect(targetsOf("chmod -R 777 /srv/reports/").changes).toEqual([
      { kind: "path", name: "/srv/reports", deep: true },
    ]);
    expect(targetsOf("cp /etc/hosts /etc/hosts.bak").changes).toEqual([
      { kind: "path", name: "/etc/hosts.bak" },
    ]);
    expect(targetsOf("echo 1 > /proc/sys/net/ipv4/ip_forward").changes).toEqual([
      { kind: "path", name: "/proc/sys/net/ipv4/ip_forward" },
    ]);
    expect(targetsOf("iptables -F").changes).toEqual([{ kind: "program", name: "iptables" }]);
    expect(targetsOf("iptables -L -n").changes).toEqual([]);
    expect(targetsOf("curl -s http://10.0.2.10/").names).toEqual([]);
  });

  it("reads a command on a network host as that host's, and a cloud command by its resources", () => {
    expect(targetsOf("on web 'cat /etc/resolv.conf'").names).toEqual([
      { kind: "host", name: "web" },
      { kind: "path", name: "/etc/netns/web/resolv.conf" },
      { kind: "host", name: "web" },
    ]);
    expect(targetsOf("cloud security-groups revoke shop-web --port 80 --source shop-lb")).toEqual({
      names: [
        { kind: "cloud", group: "security-groups", name: "shop-web" },
        { kind: "cloud", name: "shop-lb" },
      ],
      changes: [
        { kind: "cloud", group: "security-groups", name: "shop-web" },
        { kind: "cloud", name: "shop-lb" },
      ],
    });
    expect(targetsOf("cloud instances list").names).toEqual([
      { kind: "cloud", group: "instances", name: "*" },
    ]);
  });
});
