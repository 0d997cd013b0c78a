// The status-bar item's text and tooltip from the server's `ariadne/status` notification: pure logic.

export interface ServerStatus {
  backend: string;
  offline: boolean;
  queued: number;
  running: number;
  done: number;
  total: number;
  error: string | null;
}

/** The client's own state, which comes before any status from the server. */
export type ClientState = "starting" | "running" | "stopped" | "failed";

export type StatusKind = "starting" | "idle" | "busy" | "offline" | "error" | "stopped";

export interface StatusView {
  kind: StatusKind;
  text: string;
  tooltip: string;
}

function count(value: unknown): number {
  return typeof value === "number" && Number.isFinite(value) && value > 0 ? Math.floor(value) : 0;
}

/** Validates the notification's params; anything missing gets a neutral value. */
export function parseStatus(raw: unknown): ServerStatus | undefined {
  if (typeof raw !== "object" || raw === null) {
    return undefined;
  }
  const r = raw as Record<string, unknown>;
  return {
    backend: typeof r.backend === "string" ? r.backend : "",
    offline: r.offline === true,
    queued: count(r.queued),
    running: count(r.running),
    done: count(r.done),
    total: count(r.total),
    error: typeof r.error === "string" && r.error.trim() !== "" ? r.error : null,
  };
}

const SETUP_HINT =
  "Using the built-in offline summariser (docstrings, comments, signatures). For LLM summaries, run " +
  "'Ariadne: Set API Key' or set ariadne.baseUrl (e.g. a local Ollama).";

export function statusView(state: ClientState, status?: ServerStatus, reason?: string): StatusView {
  if (state === "starting") {
    return { kind: "starting", text: "$(loading~spin) Ariadne", tooltip: "Ariadne: starting the language server…" };
  }
  if (state === "failed") {
    return {
      kind: "error",
      text: "$(error) Ariadne",
      tooltip: `Ariadne: the language server is not running. ${reason ?? ""}`.trim() + "\nClick to show the output.",
    };
  }
  if (state === "stopped") {
    return {
      kind: "stopped",
      text: "$(circle-slash) Ariadne",
      tooltip: "Ariadne: the language server is stopped. Run 'Ariadne: Restart Server' to start it.",
    };
  }
  if (!status) {
    return { kind: "idle", text: "$(check) Ariadne", tooltip: "Ariadne: ready" };
  }
  const backend = status.offline ? "offline summary" : status.backend || "LLM";
  const backendLine = `Backend: ${backend}`;
  const pending = status.queued + status.running;
  const busy = (status.total > 0 && status.done < status.total) || pending > 0;
  if (status.error) {
    return {
      kind: "error",
      text: "$(error) Ariadne",
      tooltip: `Ariadne: error — ${status.error}\n${backendLine}\nClick to show the output.`,
    };
  }
  if (busy) {
    const progress =
      status.total > 0 && status.done < status.total ? `${Math.min(status.done, status.total)}/${status.total}` : `${pending} left`;
    return {
      kind: "busy",
      text: `$(sync~spin) Ariadne: summarizing ${progress}`,
      tooltip: `Ariadne: summarizing — ${status.running} running, ${status.queued} queued\n${backendLine}`,
    };
  }
  if (status.offline) {
    return { kind: "offline", text: "$(circle-large-outline) Ariadne: offline", tooltip: `Ariadne: offline mode\n${SETUP_HINT}` };
  }
  return { kind: "idle", text: "$(check) Ariadne", tooltip: `Ariadne: idle\n${backendLine}` };
}

const STAT_LABELS: Array<[string, string]> = [
  ["backend", "Backend"],
  ["openDocuments", "Open documents"],
  ["requestsSent", "Requests sent"],
  ["succeeded", "Succeeded"],
  ["failed", "Failed"],
  ["cancelledBeforeSending", "Cancelled before sending"],
  ["deduplicated", "Deduplicated"],
  ["queued", "Queued"],
  ["running", "Running"],
  ["cacheEntries", "Cache entries"],
  ["cacheHits", "Cache hits"],
  ["cacheMisses", "Cache misses"],
  ["promptTokens", "Prompt tokens"],
  ["completionTokens", "Completion tokens"],
];

/** The answer of the server's `ariadne.stats` command, one "Label: value" line per counter. */
export function formatStats(stats: unknown): string[] {
  if (typeof stats !== "object" || stats === null) {
    return ["No statistics from the server."];
  }
  const s = stats as Record<string, unknown>;
  const lines: string[] = [];
  const known = new Set(STAT_LABELS.map(([k]) => k));
  for (const [key, label] of STAT_LABELS) {
    if (key in s) {
      lines.push(`${label}: ${String(s[key])}`);
    }
  }
  for (const [key, value] of Object.entries(s)) {
    if (!known.has(key)) {
      lines.push(`${key}: ${typeof value === "object" ? JSON.stringify(value) : String(value)}`);
    }
  }
  return lines;
}
