// Unit tests: a reference solution read as commands with their comments.
import { describe, expect, it } from "vitest";
import { readScript } from "./script";

describe("readScript", () => {
  it("keeps the top comment as the overview and a comment before a command as its explanation", () => {
    const script = readScript(
      "#!/usr/bin/env bash\n# Fix the thing.\nset -euo pipefail\nls /srv\n# Restart it.\nsystemctl restart nginx\n",
    );
    expect(script.overview).toBe("Fix the thing.");
    expect(script.commands.map((c) => [c.text, c.explanation])).toEqual([
      ["ls /srv", ""],
      ["systemctl restart nginx", "Restart it."],
    ]);
  });

  it("keeps a loop, a here-document, a continuation and a multi-line quote each one command", () => {
    const script = readScript(
      [
        "for _ in $(seq 1 3); do",
        "  curl -s http://x/ && break",
        "done",
        "cat > /etc/a.conf <<'EOF'",
        "[Service]",
        "done",
        "EOF",
        "ssh -i key \\",
        "  carol@host true",
        "cloud iam update-policy p --document '{",
        '  "statements": []}\'',
      ].join("\n"),
    );
    expect(script.commands.map((c) => c.lines)).toEqual([
      ["for _ in $(seq 1 3); do", "  curl -s http://x/ && break", "done"],
      ["cat > /etc/a.conf <<'EOF'"],
      ["ssh -i key    carol@host true"],
      ["cloud iam update-policy p --document '{   \"statements\": []}'"],
    ]);
    expect(script.commands[1]!.text).toBe("cat > /etc/a.conf <<'EOF'\n[Service]\ndone\nEOF");
  });
});
