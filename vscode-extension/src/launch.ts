// How the language server is started: pure logic, no `vscode` import (unit-tested with node --test).

export type LaunchSource = "server.path" | "server.python" | "python extension" | "default python";

export interface LaunchCommand {
  command: string;
  args: string[];
  source: LaunchSource;
}

export interface LaunchSettings {
  /** `ariadne.server.path`; empty or undefined when unset. */
  serverPath?: string;
  /** `ariadne.server.python` as set by the user (undefined when left at its default). */
  python?: string;
  /** The default of `ariadne.server.python`. */
  defaultPython?: string;
  /** The interpreter selected in the Python extension, when that extension is installed. */
  pythonFromExtension?: string;
  /** For `${workspaceFolder}` in paths. */
  workspaceFolder?: string;
  /** For a leading `~` in paths. */
  homeDir?: string;
}

/**
 * Extra arguments for `ariadne-lsp`: none. It serves LSP over stdio by default and sends its INFO logs as
 * window/logMessage (shown in the output channel), so `-v` would only print every line twice.
 */
export const SERVER_ARGS: string[] = [];
export const MODULE = "ariadne_lsp";
export const DEFAULT_PYTHON = "python3";

export function expandPath(value: string, homeDir?: string, workspaceFolder?: string): string {
  let out = value.trim();
  if (homeDir && (out === "~" || out.startsWith("~/") || out.startsWith("~\\"))) {
    out = homeDir + out.slice(1);
  }
  if (workspaceFolder) {
    out = out.split("${workspaceFolder}").join(workspaceFolder);
  }
  return out;
}

function present(value: string | undefined): value is string {
  return typeof value === "string" && value.trim() !== "";
}

/**
 * The commands to try, best first. An explicit `ariadne.server.path` or `ariadne.server.python` is the
 * only candidate; otherwise the Python extension's interpreter, then the default `python3`.
 */
export function launchCandidates(settings: LaunchSettings): LaunchCommand[] {
  const expand = (v: string) => expandPath(v, settings.homeDir, settings.workspaceFolder);
  if (present(settings.serverPath)) {
    return [{ command: expand(settings.serverPath), args: [...SERVER_ARGS], source: "server.path" }];
  }
  const moduleArgs = ["-m", MODULE, ...SERVER_ARGS];
  if (present(settings.python)) {
    return [{ command: expand(settings.python), args: moduleArgs, source: "server.python" }];
  }
  const candidates: LaunchCommand[] = [];
  if (present(settings.pythonFromExtension)) {
    candidates.push({ command: settings.pythonFromExtension.trim(), args: moduleArgs, source: "python extension" });
  }
  const fallback = present(settings.defaultPython) ? settings.defaultPython.trim() : DEFAULT_PYTHON;
  if (!candidates.some((c) => c.command === fallback)) {
    candidates.push({ command: fallback, args: [...moduleArgs], source: "default python" });
  }
  return candidates;
}

function quote(arg: string): string {
  return /^[\w@%+=:,./\\-]+$/.test(arg) ? arg : `"${arg.replace(/(["\\$`])/g, "\\$1")}"`;
}

export function describeLaunch(launch: LaunchCommand): string {
  return [launch.command, ...launch.args].map(quote).join(" ");
}

/** The shell command that installs the server for this launch command. */
export function installCommand(launch: LaunchCommand): string {
  if (launch.source === "server.path") {
    return "pip install ariadne-lsp";
  }
  return `${quote(launch.command)} -m pip install ariadne-lsp`;
}

export type ProbeFailure = "not-found" | "module-missing" | "failed";

/** Classifies a failed `<command> --version` run (see probe.ts). */
export function classifyFailure(spawnErrorCode: string | undefined, stderr: string): ProbeFailure {
  if (spawnErrorCode === "ENOENT" || spawnErrorCode === "EACCES" || spawnErrorCode === "ENOTDIR") {
    return "not-found";
  }
  if (/No module named ['"]?ariadne_lsp/.test(stderr)) {
    return "module-missing";
  }
  return "failed";
}

/** The one error message shown when the server cannot start. */
export function missingServerMessage(launch: LaunchCommand, failure: ProbeFailure, detail?: string): string {
  const tried = `\`${describeLaunch(launch)}\``;
  let what: string;
  if (failure === "not-found") {
    what =
      launch.source === "server.path"
        ? `the server executable "${launch.command}" (ariadne.server.path) was not found`
        : `the Python interpreter "${launch.command}" was not found`;
  } else if (failure === "module-missing") {
    what = `the ariadne-lsp package is not installed for "${launch.command}"`;
  } else {
    what = `${tried} failed${detail ? `: ${firstLine(detail)}` : ""}`;
  }
  const fix =
    launch.source === "server.path"
      ? `Install it with \`${installCommand(launch)}\` (or \`pip install -e <path to the Ariadne repository>\`) and set ariadne.server.path to the ariadne-lsp executable, or clear that setting to use Python.`
      : `Install it with \`${installCommand(launch)}\` (from a checkout: \`${quote(launch.command)} -m pip install -e <path to the Ariadne repository>\`), or set ariadne.server.path to an ariadne-lsp executable.`;
  return `Ariadne: the language server cannot start: ${what}. ${fix}`;
}

function firstLine(text: string): string {
  const lines = text.trim().split(/\r?\n/).filter((l) => l.trim() !== "");
  const last = lines[lines.length - 1] ?? "";
  return last.length > 200 ? last.slice(0, 200) + "…" : last;
}

/** Restarts after a crash: at most `max` within `windowMs`, so a server that dies at once is not restarted forever. */
export class RestartPolicy {
  private readonly restarts: number[] = [];

  constructor(
    private readonly max = 1,
    private readonly windowMs = 3 * 60_000,
  ) {}

  /** Records and allows a restart, or refuses it. */
  shouldRestart(now: number): boolean {
    while (this.restarts.length > 0 && now - this.restarts[0] > this.windowMs) {
      this.restarts.shift();
    }
    if (this.restarts.length >= this.max) {
      return false;
    }
    this.restarts.push(now);
    return true;
  }

  reset(): void {
    this.restarts.length = 0;
  }
}
