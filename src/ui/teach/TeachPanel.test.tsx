// Unit tests of "Compare with the reference" as rendered: both columns, the teaches line, the checks with what they looked at, the two lists, labels and the damage step when given, the agent's text as text.
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import type { FailureLabel } from "../../domain/failure";
import type { RunEvent } from "../../domain/run";
import { makeRun } from "../../domain/run-builders";
import { makeTask } from "../../domain/task-builders";
import { TeachPanel } from "./TeachPanel";

const task = makeTask({
  meta: {
    ...makeTask().meta,
    teaches: "Agents tend to chmod -R 777 the web root.",
  },
  instruction: "The reports page answers 403.\n",
  solutionScript:
    "#!/usr/bin/env bash\n# Let nginx read the pages.\nset -euo pipefail\n# The folders.\nchmod 755 /srv/reports\n",
  checkScript:
    'source /run/opslab-grader/lib.sh\ncheck "the page answers 200" \'[ "$(http_status http://localhost:8080/)" = 200 ]\'\nfinish\n',
});

/** A run: step 1 a command whose text is markup, step 2 a change the reference did not need. */
function events(): RunEvent[] {
  const command = (step: number, text: string, exitCode: number): RunEvent[] => [
    {
      type: "tool-call",
      atMs: step,
      step,
      callId: `c${step}`,
      input: { tool: "run_command", command: text },
    },
    {
      type: "tool-result",
      atMs: step,
      step,
      callId: `c${step}`,
      outcome: {
        kind: "command",
        exitCode,
        stdout: "",
        stderr: "",
        durationMs: 1,
        timedOut: false,
        truncated: false,
      },
    },
  ];
  return [
    ...command(1, "echo '<img src=x onerror=alert(1)>'", 0),
    ...command(2, "chmod 777 /etc/nginx/nginx.conf", 1),
    {
      type: "tool-call",
      atMs: 3,
      step: 3,
      callId: "c3",
      input: { tool: "write_file", path: "/tmp/note.html", content: "<script>alert(1)</script>" },
    },
    {
      type: "graded",
      atMs: 10,
      grade: {
        passed: false,
        checks: [{ passed: false, text: "the page answers 200" }],
        exitCode: 1,
        notes: [],
        durationMs: 1,
      },
    },
  ];
}
const record = makeRun({ id: "run-1", events: events() });
/** The text a person reads: tags dropped, the entities React writes decoded. */
const text = (html: string) =>
  html
    .replace(/<[^>]+>/g, " ")
    .replace(/&#x27;/g, "'")
    .replace(/&quot;/g, '"')
    .replace(/\s+/g, " ");

describe("TeachPanel", () => {
  it("is a button until opened", () => {
    const html = renderToStaticMarkup(<TeachPanel record={record} task={task} />);
    expect(text(html)).toContain("Compare with the reference");
    expect(html).not.toContain("teach-view");
  });

  it("shows the teaches line, both columns, the lists and each check with what it looked at", () => {
    const html = renderToStaticMarkup(<TeachPanel record={record} task={task} open />);
    const shown = text(html);
    expect(shown).toContain("What this task teaches: Agents tend to chmod -R 777 the web root.");
    expect(shown).toMatch(/Step 2 exit 1 changes chmod 777 \/etc\/nginx\/nginx.conf/);
    expect(shown).toContain("Let nginx read the pages.");
    expect(shown).toMatch(/The folders\. changes chmod 755 \/srv\/reports/);
    expect(shown).toMatch(
      /Did, but the reference did not need Step 2 chmod 777 \/etc\/nginx\/nginx.conf tried to change \/etc\/nginx\/nginx.conf \(it exited 1\)/,
    );
    expect(shown).toMatch(/Never looked at \/srv\/reports/);
    expect(html).toContain('data-result="failed"');
    expect(shown).toContain("the page answers 200");
    expect(shown).toContain("http_status URL [CURL ARGS...] : the HTTP status code of a GET");
    // Nothing was said about labels or the damage step: nothing is shown for them.
    expect(html).not.toContain("teach-diagnosis");
  });

  it("renders what the agent wrote as text, never as markup", () => {
    const html = renderToStaticMarkup(<TeachPanel record={record} task={task} open />);
    expect(html).not.toContain("<img");
    expect(html).toContain("&lt;img src=x onerror=alert(1)&gt;");
    expect(html).not.toContain("<script");
    expect(html).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");
  });

  it("shows labels and the damage step when given, marking their steps", () => {
    const labels: FailureLabel[] = [
      {
        label: "destructive-action",
        steps: [2],
        explanation: "chmod 777 on nginx's configuration.",
      },
    ];
    const html = renderToStaticMarkup(
      <TeachPanel
        record={record}
        task={task}
        open
        labels={labels}
        damageStep={2}
        onStep={() => undefined}
      />,
    );
    const shown = text(html);
    expect(shown).toContain(
      "It went wrong at Step 2 : after it, the reference no longer fixes the machine.",
    );
    expect(shown).toContain("destructive-action : chmod 777 on nginx's configuration. Step 2");
    expect(html).toMatch(/<li data-step="2" class="teach-marked teach-damage">/);
    const none = renderToStaticMarkup(
      <TeachPanel record={record} task={task} open labels={[]} damageStep={null} />,
    );
    expect(text(none)).toContain(
      "Nothing the agent did stopped the reference from fixing the machine.",
    );
  });

  it("says why when this OpsLab has no such task", () => {
    const html = renderToStaticMarkup(<TeachPanel record={record} task={undefined} open />);
    expect(text(html)).toContain(
      'This OpsLab has no task "t": there is no reference to compare the run with.',
    );
  });
});
