// The header's one-line VM status: starting, ready (and how far the background warm-up has got), failed.
import type { VmState, VmStatus } from "../../state/vm-store";

export interface VmStatusLabel {
  text: string;
  /** The longer explanation (a tooltip). */
  detail: string;
}

const WARMING_DETAIL =
  "Linux is ready to use. In the background, at the lowest priority, it loads and runs common " +
  "programs (python3, dig, curl, systemctl) so that their first use is quick; until then the first " +
  "run of each can take a few seconds. A run resets the machine, and the warm-up starts again.";

export function vmStatusLabel(status: VmStatus, warmUp: VmState["warmUp"]): VmStatusLabel {
  switch (status.phase) {
    case "ready": {
      if (!warmUp || warmUp.total === 0 || warmUp.done >= warmUp.total)
        return { text: "Linux ready", detail: "Linux is ready to use." };
      const percent = Math.floor((warmUp.done / warmUp.total) * 100);
      return { text: `Linux ready · warming up ${percent}%`, detail: WARMING_DETAIL };
    }
    case "error":
      return { text: "Linux failed to start", detail: status.message };
    default:
      return { text: "Starting Linux…", detail: "Linux is starting." };
  }
}
