// What the person sees while Linux starts: each phase, bytes downloaded of the total, elapsed time, errors.
import { useEffect, useState } from "react";
import { formatBytes } from "../../domain/units";
import type { VmStatus } from "../../state/vm-store";

const TICK_MS = 100;

function describe(status: VmStatus): string {
  switch (status.phase) {
    case "idle":
    case "manifest":
      return "Looking up the Linux image…";
    case "download":
      return status.cold
        ? `Downloading the kernel (no saved machine: Linux will boot from scratch, about a minute)`
        : "Downloading the saved machine";
    case "starting":
      return status.cold
        ? "Booting Linux from scratch (about a minute)…"
        : "Restoring the machine…";
    case "ready":
      return "Ready";
    case "error":
      return "Linux could not start";
  }
}

export function BootScreen({
  status,
  startedAt,
  onRetry,
}: {
  status: VmStatus;
  startedAt: number | undefined;
  onRetry: () => void;
}) {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), TICK_MS);
    return () => clearInterval(timer);
  }, []);
  const elapsed = startedAt === undefined ? 0 : Math.max(0, now - startedAt);
  const fraction =
    status.phase === "download" && status.totalBytes > 0
      ? status.loadedBytes / status.totalBytes
      : undefined;

  return (
    <section className="boot" aria-live="polite">
      <h2>{describe(status)}</h2>
      {status.phase === "download" && (
        <>
          <progress max={1} value={fraction} />
          <p>
            {formatBytes(status.loadedBytes)} of {formatBytes(status.totalBytes)}
          </p>
        </>
      )}
      {status.phase === "starting" && <progress />}
      {status.phase === "error" ? (
        <div role="alert" className="boot-error">
          <p>{status.message}</p>
          <button type="button" onClick={onRetry}>
            Retry
          </button>
        </div>
      ) : (
        <p className="elapsed">{(elapsed / 1000).toFixed(1)} s</p>
      )}
    </section>
  );
}
