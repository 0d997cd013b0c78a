// Runs `<server> --version` before starting the client: a missing interpreter or package becomes one
// clear message instead of a connection error and a restart loop. No `vscode` import.
import { spawn } from "node:child_process";

import { classifyFailure, type LaunchCommand, type ProbeFailure } from "./launch";

export type ProbeResult =
  | { ok: true; version: string }
  | { ok: false; failure: ProbeFailure; detail: string }
  | { ok: "unknown"; detail: string };

/** The launch command with its server arguments replaced by `--version`. */
export function versionCommand(launch: LaunchCommand): { command: string; args: string[] } {
  const args = launch.args[0] === "-m" ? [launch.args[0], launch.args[1], "--version"] : ["--version"];
  return { command: launch.command, args };
}

export function probeServer(launch: LaunchCommand, timeoutMs = 20_000, env?: NodeJS.ProcessEnv): Promise<ProbeResult> {
  const { command, args } = versionCommand(launch);
  return new Promise((resolve) => {
    let stdout = "";
    let stderr = "";
    let settled = false;
    const finish = (result: ProbeResult) => {
      if (!settled) {
        settled = true;
        clearTimeout(timer);
        resolve(result);
      }
    };
    let child;
    try {
      child = spawn(command, args, { env: env ?? process.env, stdio: ["ignore", "pipe", "pipe"], windowsHide: true });
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      resolve({ ok: false, failure: classifyFailure(code, ""), detail: String(err) });
      return;
    }
    // A slow machine must not stop the server from starting: after the timeout, let the client try.
    const timer = setTimeout(() => {
      child.kill();
      finish({ ok: "unknown", detail: `no answer to --version after ${timeoutMs} ms` });
    }, timeoutMs);
    child.stdout?.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr?.on("data", (d: Buffer) => (stderr += d.toString()));
    child.on("error", (err: NodeJS.ErrnoException) => {
      finish({ ok: false, failure: classifyFailure(err.code, stderr), detail: err.message });
    });
    child.on("close", (code) => {
      if (code === 0) {
        finish({ ok: true, version: (stdout || stderr).trim() });
      } else {
        finish({ ok: false, failure: classifyFailure(undefined, stderr), detail: stderr.trim() || `exit code ${code}` });
      }
    });
  });
}
