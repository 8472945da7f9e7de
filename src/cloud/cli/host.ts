// The host side of the in-VM `cloud` program: checks a guest request, keeps the clock in step, passes the caller's keys.
import { z } from "zod";
import type { CloudControlPlane, Credentials } from "../core/control-plane";
import { runCli, type CliResponse } from "./run";

const CliRequestSchema = z.object({
  argv: z.array(z.string()),
  profile: z.string().optional(),
  credentials: z.object({ accessKeyId: z.string(), secretAccessKey: z.string() }).optional(),
  role: z.string().optional(),
  region: z.string().optional(),
});

export class CloudHost {
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
    // NOTE: the profile's name is the guest's to choose and grants nothing: only keys identify a caller.
    const credentials: Credentials | undefined = request.credentials && {
      kind: "keys",
      ...request.credentials,
      ...(request.role ? { role: request.role } : {}),
    };
    return runCli(this.plane, request, credentials);
  }
}
