// The page's address: which page is shown, as a URL fragment (no server involved), read and written in one place.
import { useCallback, useEffect, useState } from "react";

/**
 * What the fragment names. `step` is the step a replay shows (so a link can point at step 7).
 * NOTE: a share link's payload stays in the fragment: browsers never send it to a server.
 */
export type Route =
  | { page: "lab" }
  | { page: "suites" }
  | { page: "history" }
  /** A run kept in this browser, replayed. */
  | { page: "run"; runId: string; step?: number }
  /** A run opened from a share link (its payload as the link carries it), replayed read-only. */
  | { page: "share"; payload: string; step?: number }
  /** Two models on one task: the comparisons kept here, or one of them side by side. */
  | { page: "compare"; comparisonId?: string }
  /** A comparison opened from a share link, side by side, read-only. */
  | { page: "compare-share"; payload: string };

export type RoutePage = Route["page"];

const SIMPLE_PAGES = { "": "lab", lab: "lab", suites: "suites", history: "history" } as const;

/** Reads `#/runs/<id>?step=7`, `#/share/<payload>?step=7`, `#/history`...; anything else is the lab. */
export function parseRoute(hash: string): Route {
  const text = hash.replace(/^#\/?/, "");
  const [path = "", query = ""] = splitOnce(text, "?");
  const step = parseStep(new URLSearchParams(query).get("step"));
  const [head = "", rest = ""] = splitOnce(path, "/");
  if (head === "runs" && rest) return { page: "run", runId: decodeURIComponent(rest), ...step };
  if (head === "share" && rest) return { page: "share", payload: rest, ...step };
  if (head === "compare") return compareRoute(rest);
  const simple = SIMPLE_PAGES[head as keyof typeof SIMPLE_PAGES];
  return { page: simple ?? "lab" };
}

/** The fragment for a route, `#/...`; parseRoute(formatRoute(r)) gives r back. */
export function formatRoute(route: Route): string {
  const step = "step" in route && route.step !== undefined ? `?step=${route.step}` : "";
  switch (route.page) {
    case "lab":
      return "#/";
    case "suites":
    case "history":
      return `#/${route.page}`;
    case "run":
      return `#/runs/${encodeURIComponent(route.runId)}${step}`;
    case "share":
      return `#/share/${route.payload}${step}`;
    case "compare":
      return route.comparisonId
        ? `#/compare/${encodeURIComponent(route.comparisonId)}`
        : "#/compare";
    case "compare-share":
      return `#/compare/share/${route.payload}`;
  }
}

/** `#/compare`, `#/compare/<id>`, `#/compare/share/<payload>`. */
function compareRoute(rest: string): Route {
  const [head = "", payload = ""] = splitOnce(rest, "/");
  if (head === "share") return payload ? { page: "compare-share", payload } : { page: "compare" };
  return rest ? { page: "compare", comparisonId: decodeURIComponent(rest) } : { page: "compare" };
}

/**
 * The route of the page's address, and a way to go elsewhere. `replace` changes the address without
 * a new history entry (a replay's step as it plays), so Back leaves the replay instead of stepping.
 */
export function useRoute(): [Route, (route: Route, options?: { replace?: boolean }) => void] {
  const [route, setRoute] = useState(() => parseRoute(location.hash));
  useEffect(() => {
    const onChange = () => setRoute(parseRoute(location.hash));
    addEventListener("hashchange", onChange);
    return () => removeEventListener("hashchange", onChange);
  }, []);
  const go = useCallback((next: Route, options?: { replace?: boolean }) => {
    const hash = formatRoute(next);
    if (hash !== location.hash) {
      // NOTE: replaceState and pushState fire no hashchange, so the state is set here too.
      if (options?.replace) history.replaceState(history.state, "", hash);
      else history.pushState(history.state, "", hash);
    }
    setRoute(next);
  }, []);
  return [route, go];
}

function splitOnce(text: string, separator: string): [string, string] {
  const at = text.indexOf(separator);
  return at < 0 ? [text, ""] : [text.slice(0, at), text.slice(at + 1)];
}

function parseStep(value: string | null): { step?: number } {
  if (value === null || !/^\d{1,6}$/.test(value)) return {};
  return { step: Number(value) };
}
