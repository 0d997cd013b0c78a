// The VS Code side of Ariadne: starts `ariadne-lsp` over stdio with vscode-languageclient, keeps its
// settings (and the API key from SecretStorage) in sync, and adds commands and a status-bar item.
// Pure logic lives in launch.ts, probe.ts, settings.ts and status.ts (tested without VS Code).
import * as os from "node:os";
import * as vscode from "vscode";
import {
  CloseAction,
  DidChangeConfigurationNotification,
  ErrorAction,
  ExecuteCommandRequest,
  LanguageClient,
  type LanguageClientOptions,
  RevealOutputChannelOn,
  type ServerOptions,
  State,
} from "vscode-languageclient/node";

import {
  DEFAULT_PYTHON,
  describeLaunch,
  type LaunchCommand,
  launchCandidates,
  missingServerMessage,
  RestartPolicy,
} from "./launch";
import { probeServer } from "./probe";
import { API_KEY_SECRET, serverSettings, withApiKey } from "./settings";
import { type ClientState, formatStats, parseStatus, type ServerStatus, statusView } from "./status";

export const LANGUAGES = [
  "python",
  "javascript",
  "javascriptreact",
  "typescript",
  "typescriptreact",
  "go",
  "rust",
  "java",
  "c",
  "cpp",
];

/** The server's executeCommand commands (vscode-languageclient registers these IDs itself). */
const SERVER_COMMANDS = {
  summaryAt: "ariadne.summaryAt",
  clearCache: "ariadne.clearCache",
  stats: "ariadne.stats",
};

/**
 * vscode-languageclient forces an error notification of its own when the server fails to start; the
 * controller shows one clearer message instead (with the install command), so errors only go to the log.
 */
class AriadneClient extends LanguageClient {
  override error(message: string, data?: unknown, _showNotification: boolean | "force" = true): void {
    super.error(message, data, false);
  }
}

class Controller implements vscode.Disposable {
  private client: LanguageClient | undefined;
  private starting: Promise<LanguageClient | undefined> | undefined;
  private state: ClientState = "stopped";
  private status: ServerStatus | undefined;
  private failure: string | undefined;
  private errorShown = false;
  private readonly restarts = new RestartPolicy(1);
  private readonly disposables: vscode.Disposable[] = [];

  constructor(
    private readonly context: vscode.ExtensionContext,
    readonly output: vscode.LogOutputChannel,
    private readonly item: vscode.StatusBarItem,
  ) {}

  // --- lifecycle -------------------------------------------------------------------------------
  /** The running client, starting it if need be; undefined (after one error message) if it cannot run. */
  async ensureClient(): Promise<LanguageClient | undefined> {
    if (this.client?.isRunning()) {
      return this.client;
    }
    if (this.client?.state === State.Starting) {
      // vscode-languageclient is restarting it after a crash: wait for that instead of starting another.
      await withTimeout(
        new Promise<void>((resolve) => {
          const sub = this.client?.onDidChangeState((e) => {
            if (e.newState !== State.Starting) {
              sub?.dispose();
              resolve();
            }
          });
          if (!sub) {
            resolve();
          }
        }),
        30_000,
      );
      if (this.client?.isRunning()) {
        return this.client;
      }
    }
    return this.start();
  }

  start(): Promise<LanguageClient | undefined> {
    if (!this.starting) {
      this.starting = this.doStart().finally(() => (this.starting = undefined));
    }
    return this.starting;
  }

  private async doStart(): Promise<LanguageClient | undefined> {
    const previous = this.client; // a client that crashed and was not restarted
    if (previous && previous.state === State.Stopped) {
      this.client = undefined;
      await previous.dispose().catch(() => undefined);
    }
    this.errorShown = false;
    this.failure = undefined;
    this.status = undefined;
    this.setState("starting");
    const launch = await this.chooseLaunch();
    if (!launch) {
      return undefined;
    }
    this.output.info(`Starting the language server: ${describeLaunch(launch)} (from ${launch.source})`);
    // No `transport`: TransportKind.stdio would append `--stdio`, which ariadne-lsp does not take
    // (stdio is its default); without it, vscode-languageclient still talks over the process's stdio.
    const serverOptions: ServerOptions = {
      command: launch.command,
      args: launch.args,
      options: { env: { ...process.env, PYTHONUNBUFFERED: "1" } },
    };
    const client = new AriadneClient("ariadne", "Ariadne", serverOptions, await this.clientOptions(launch));
    client.onNotification("ariadne/status", (params: unknown) => {
      this.status = parseStatus(params);
      this.render();
    });
    this.disposables.push(
      client.onDidChangeState((e) => {
        if (e.newState === State.Running) {
          this.setState("running");
        } else if (e.newState === State.Stopped && this.state !== "failed" && this.client === client) {
          this.setState("stopped");
        }
      }),
    );
    this.client = client;
    try {
      await client.start();
    } catch (err) {
      this.fail(
        `Ariadne: the language server \`${describeLaunch(launch)}\` did not start (${errorText(err)}). ` +
          "See 'Ariadne: Show Output' for its log.",
      );
      if (this.client === client) {
        this.client = undefined;
      }
      await client.dispose().catch(() => undefined);
      return undefined;
    }
    return client;
  }

  /** The first launch command whose `--version` works; one error message when none does. */
  private async chooseLaunch(): Promise<LaunchCommand | undefined> {
    const config = vscode.workspace.getConfiguration("ariadne");
    const python = config.inspect<string>("server.python");
    const explicitPython = python?.workspaceFolderValue ?? python?.workspaceValue ?? python?.globalValue;
    const serverPath = config.get<string>("server.path");
    const askPythonExtension = !serverPath?.trim() && !explicitPython?.trim();
    const candidates = launchCandidates({
      serverPath,
      python: explicitPython,
      defaultPython: python?.defaultValue ?? DEFAULT_PYTHON,
      pythonFromExtension: askPythonExtension ? await pythonFromExtension() : undefined,
      workspaceFolder: vscode.workspace.workspaceFolders?.[0]?.uri.fsPath,
      homeDir: os.homedir(),
    });
    let firstFailure: string | undefined;
    for (const launch of candidates) {
      const probe = await probeServer(launch);
      if (probe.ok === true) {
        this.output.info(`${describeLaunch(launch)}: ${probe.version}`);
        return launch;
      }
      if (probe.ok === "unknown") {
        this.output.warn(`${describeLaunch(launch)}: ${probe.detail}; starting it anyway`);
        return launch;
      }
      this.output.warn(`${describeLaunch(launch)} cannot run (${probe.failure}): ${probe.detail}`);
      firstFailure ??= missingServerMessage(launch, probe.failure, probe.detail);
    }
    this.fail(firstFailure ?? "Ariadne: no way to start the language server was found.");
    return undefined;
  }

  private async clientOptions(launch: LaunchCommand): Promise<LanguageClientOptions> {
    const secrets = this.context.secrets;
    return {
      documentSelector: LANGUAGES.flatMap((language) => [
        { scheme: "file", language },
        { scheme: "untitled", language },
      ]),
      outputChannel: this.output,
      revealOutputChannelOn: RevealOutputChannelOn.Never,
      initializationOptions: serverSettings(sectionObject(), await secrets.get(API_KEY_SECRET)),
      initializationFailedHandler: (error) => {
        this.fail(
          `Ariadne: the language server \`${describeLaunch(launch)}\` did not start (${errorText(error)}). ` +
            "See 'Ariadne: Show Output' for its log.",
        );
        return false;
      },
      errorHandler: {
        error: (_error, _message, count) => ({ action: (count ?? 0) <= 3 ? ErrorAction.Continue : ErrorAction.Shutdown }),
        closed: () => {
          if (this.restarts.shouldRestart(Date.now())) {
            this.output.warn("The language server stopped unexpectedly; restarting it once.");
            return { action: CloseAction.Restart, handled: true };
          }
          this.fail(
            `Ariadne: the language server \`${describeLaunch(launch)}\` stopped again and will not be restarted. ` +
              "See 'Ariadne: Show Output' for its log, then run 'Ariadne: Restart Server'.",
          );
          return { action: CloseAction.DoNotRestart, handled: true };
        },
      },
      middleware: {
        workspace: {
          // The server pulls section "ariadne": hand it the key from SecretStorage with the settings.
          configuration: async (params, token, next) => {
            const result = await next(params, token);
            if (!Array.isArray(result)) {
              return result;
            }
            return withApiKey(params.items, result, await secrets.get(API_KEY_SECRET));
          },
        },
      },
    };
  }

  async stop(): Promise<void> {
    const client = this.client;
    this.client = undefined;
    if (client) {
      try {
        if (client.isRunning()) {
          await client.stop(5000);
        }
      } catch (err) {
        this.output.warn(`stopping the language server: ${errorText(err)}`);
      }
      await client.dispose().catch(() => undefined);
    }
    this.setState("stopped");
  }

  async restart(): Promise<void> {
    this.restarts.reset();
    await this.stop();
    await this.start();
  }

  /** Makes the server pull its settings again (through the middleware that adds the key). */
  pushSettings(): void {
    const client = this.client;
    if (client?.isRunning()) {
      client.sendNotification(DidChangeConfigurationNotification.type, { settings: null }).catch((err) => {
        this.output.warn(`didChangeConfiguration: ${errorText(err)}`);
      });
    }
  }

  // --- server commands ---------------------------------------------------------------------------
  async executeServerCommand<T>(command: string, args: unknown[] = []): Promise<T | undefined> {
    const client = await this.ensureClient();
    if (!client) {
      return undefined;
    }
    return (await client.sendRequest(ExecuteCommandRequest.type, { command, arguments: args })) as T;
  }

  async showSummary(): Promise<string | undefined> {
    const editor = vscode.window.activeTextEditor;
    if (!editor) {
      void vscode.window.showInformationMessage("Ariadne: open a file and put the cursor in a function, method or class.");
      return undefined;
    }
    const client = await this.ensureClient();
    if (!client) {
      return undefined;
    }
    const c2p = client.code2ProtocolConverter;
    // The server shows the summary itself (window/showMessage) and returns its text.
    const text = await this.executeServerCommand<string | null>(SERVER_COMMANDS.summaryAt, [
      c2p.asUri(editor.document.uri),
      c2p.asPosition(editor.selection.active),
    ]);
    if (!text) {
      void vscode.window.showInformationMessage("Ariadne: no function, method or class at the cursor.");
      return undefined;
    }
    return text;
  }

  async clearCache(): Promise<number | undefined> {
    const cleared = await this.executeServerCommand<number>(SERVER_COMMANDS.clearCache);
    if (cleared !== undefined) {
      void vscode.window.showInformationMessage(`Ariadne: cleared ${cleared} cached summaries.`);
    }
    return cleared;
  }

  async showStats(): Promise<Record<string, unknown> | undefined> {
    const stats = await this.executeServerCommand<Record<string, unknown>>(SERVER_COMMANDS.stats);
    if (stats !== undefined) {
      const lines = formatStats(stats);
      this.output.info(`Statistics:\n  ${lines.join("\n  ")}`);
      void vscode.window.showInformationMessage("Ariadne statistics", { modal: true, detail: lines.join("\n") });
    }
    return stats;
  }

  async setApiKey(): Promise<void> {
    const value = await vscode.window.showInputBox({
      title: "Ariadne: API key",
      prompt: "The key of your OpenAI-compatible API, kept in VS Code's secret storage. Leave empty to remove it.",
      password: true,
      ignoreFocusOut: true,
      placeHolder: "sk-…",
    });
    if (value === undefined) {
      return;
    }
    if (value.trim() === "") {
      await this.context.secrets.delete(API_KEY_SECRET);
      void vscode.window.showInformationMessage("Ariadne: API key removed.");
    } else {
      await this.context.secrets.store(API_KEY_SECRET, value.trim());
      void vscode.window.showInformationMessage("Ariadne: API key saved in secret storage.");
    }
    // secrets.onDidChange pushes the settings to the server.
  }

  // --- status bar --------------------------------------------------------------------------------
  private fail(message: string): void {
    this.failure = message;
    this.setState("failed");
    this.output.error(message);
    if (!this.errorShown) {
      this.errorShown = true;
      void vscode.window.showErrorMessage(message, "Show Output", "Open Settings").then((choice) => {
        if (choice === "Show Output") {
          this.output.show();
        } else if (choice === "Open Settings") {
          void vscode.commands.executeCommand("workbench.action.openSettings", "ariadne.server");
        }
      });
    }
  }

  private setState(state: ClientState): void {
    this.state = state;
    this.render();
  }

  private render(): void {
    const view = statusView(this.state, this.status, this.failure?.replace(/^Ariadne: /, ""));
    this.item.text = view.text;
    this.item.tooltip = view.tooltip;
    this.item.backgroundColor =
      view.kind === "error" ? new vscode.ThemeColor("statusBarItem.errorBackground") : undefined;
    this.item.show();
  }

  dispose(): void {
    for (const d of this.disposables) {
      d.dispose();
    }
  }
}

let controller: Controller | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<ExtensionApi> {
  const output = vscode.window.createOutputChannel("Ariadne", { log: true });
  const item = vscode.window.createStatusBarItem("ariadne.status", vscode.StatusBarAlignment.Right, 100);
  item.name = "Ariadne";
  item.command = "ariadne.client.showOutput";
  const ctl = new Controller(context, output, item);
  controller = ctl;
  const guarded =
    <T>(fn: () => Promise<T>) =>
    async (): Promise<T | undefined> => {
      try {
        return await fn();
      } catch (err) {
        output.error(errorText(err));
        void vscode.window.showErrorMessage(`Ariadne: ${errorText(err)}`);
        return undefined;
      }
    };
  context.subscriptions.push(
    output,
    item,
    ctl,
    vscode.commands.registerCommand("ariadne.client.restart", guarded(() => ctl.restart())),
    vscode.commands.registerCommand("ariadne.client.showOutput", () => output.show()),
    vscode.commands.registerCommand("ariadne.client.showSummary", guarded(() => ctl.showSummary())),
    vscode.commands.registerCommand("ariadne.client.clearCache", guarded(() => ctl.clearCache())),
    vscode.commands.registerCommand("ariadne.client.showStats", guarded(() => ctl.showStats())),
    vscode.commands.registerCommand("ariadne.client.setApiKey", guarded(() => ctl.setApiKey())),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration("ariadne.server")) {
        output.info("ariadne.server.* changed: restarting the language server");
        void ctl.restart();
      } else if (e.affectsConfiguration("ariadne")) {
        ctl.pushSettings();
      }
    }),
    context.secrets.onDidChange((e) => {
      if (e.key === API_KEY_SECRET) {
        ctl.pushSettings();
      }
    }),
  );
  void ctl.start();
  return { showSummary: () => ctl.showSummary(), stats: () => ctl.showStats() };
}

export async function deactivate(): Promise<void> {
  await controller?.stop();
  controller = undefined;
}

/** What other extensions (and tests) can call. */
export interface ExtensionApi {
  showSummary(): Promise<string | undefined>;
  stats(): Promise<Record<string, unknown> | undefined>;
}

/** The `ariadne` section as a plain object (settings with their defaults, plus nested server/trace). */
function sectionObject(): Record<string, unknown> {
  return JSON.parse(JSON.stringify(vscode.workspace.getConfiguration("ariadne"))) as Record<string, unknown>;
}

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** The interpreter selected in the Python extension, if it is installed; never throws. */
async function pythonFromExtension(): Promise<string | undefined> {
  const ext = vscode.extensions.getExtension("ms-python.python");
  if (!ext) {
    return undefined;
  }
  try {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    const api: any = ext.isActive ? ext.exports : await withTimeout(ext.activate(), 10_000);
    const resource = vscode.workspace.workspaceFolders?.[0]?.uri;
    const envs = api?.environments;
    if (envs?.getActiveEnvironmentPath) {
      const active = envs.getActiveEnvironmentPath(resource);
      const resolved: any = envs.resolveEnvironment ? await withTimeout(envs.resolveEnvironment(active), 10_000) : undefined;
      const executable = resolved?.executable?.uri?.fsPath ?? active?.path;
      if (typeof executable === "string" && executable !== "") {
        return executable;
      }
    }
    const details = api?.settings?.getExecutionDetails?.(resource);
    const command = details?.execCommand?.[0];
    return typeof command === "string" && command !== "" ? command : undefined;
  } catch {
    return undefined;
  }
}

function withTimeout<T>(promise: Thenable<T>, ms: number): Promise<T | undefined> {
  return Promise.race([
    Promise.resolve(promise),
    new Promise<undefined>((resolve) => setTimeout(() => resolve(undefined), ms)),
  ]);
}
