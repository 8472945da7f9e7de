// The host side of the in-VM `cloud` program: checks a guest request, keeps the clock in step, picks the caller.
import { z } from "zod";
import type { CloudControlPlane, Credentials } from "./control-plane";
import { runCli, type CliResponse } from "./cli/run";

const CliRequestSchema = z.object({
  argv: z.array(z.string()),
  profile: z.string().optional(),
  credentials: z.object({ accessKeyId: z.string(), secretAccessKey: z.string() }).optional(),
  role: z.string().optional(),
  region: z.string().optional(),
});

export class CloudHost {
  /**
   * The profile whose calls run as the (read-only) grader. NOTE: only the runner sets it, to a fresh
   * random name for each grading, and clears it afterwards; the guest cannot.
   */
  graderProfile: string | undefined;
  private lastSyncMs: number;

  /** `nowMs` is the host's real clock (for example Date.now): simulated time follows it. */
  constructor(
    readonly plane: CloudControlPlane,
    private readonly nowMs: () => number,
  ) {
    this.lastSyncMs = nowMs();
  }

  /** Advances the simulated clock by the real time since the last call. */
  sync(): void {
    const now = this.nowMs();
    this.plane.advance(Math.max(0, now - this.lastSyncMs));
    this.lastSyncMs = now;
  }

  /** Answers one `cloud` invocation from the guest. */
  handle(body: unknown): CliResponse {
    const parsed = CliRequestSchema.safeParse(body);
    if (!parsed.success) {
      return {
        stdout: "",
        stderr:
          "cloud: the request to the control plane was malformed; reinstall /usr/local/bin/cloud\n",
        exitCode: 255,
      };
    }
    this.sync();
    const request = parsed.data;
    let credentials: Credentials | undefined;
    if (this.graderProfile !== undefined && request.profile === this.graderProfile) {
      credentials = { kind: "grader" };
    } else if (request.credentials)
      credentials = {
        kind: "keys",
        ...request.credentials,
        ...(request.role ? { role: request.role } : {}),
      };
    return runCli(this.plane, request, credentials);
  }
}
