import assert from "node:assert/strict";
import { describe, it } from "node:test";

import {
  classifyFailure,
  describeLaunch,
  expandPath,
  installCommand,
  launchCandidates,
  missingServerMessage,
  RestartPolicy,
} from "../src/launch";

describe("launchCandidates", () => {
  it("uses ariadne.server.path alone when set", () => {
    const c = launchCandidates({ serverPath: "/opt/venv/bin/ariadne-lsp", python: "/usr/bin/python3.12", pythonFromExtension: "/x/python" });
    assert.deepEqual(c, [{ command: "/opt/venv/bin/ariadne-lsp", args: [], source: "server.path" }]);
  });

  it("runs -m ariadne_lsp with an explicit ariadne.server.python", () => {
    const c = launchCandidates({ serverPath: "  ", python: "/usr/bin/python3.12", pythonFromExtension: "/x/python" });
    assert.deepEqual(c, [{ command: "/usr/bin/python3.12", args: ["-m", "ariadne_lsp"], source: "server.python" }]);
  });

  it("tries the Python extension's interpreter, then python3", () => {
    const c = launchCandidates({ pythonFromExtension: "/proj/.venv/bin/python" });
    assert.deepEqual(
      c.map((x) => [x.command, x.source]),
      [
        ["/proj/.venv/bin/python", "python extension"],
        ["python3", "default python"],
      ],
    );
    assert.deepEqual(c[1].args, ["-m", "ariadne_lsp"]);
  });

  it("falls back to python3 (or the setting's default) alone", () => {
    assert.deepEqual(launchCandidates({}).map((x) => x.command), ["python3"]);
    assert.deepEqual(launchCandidates({ defaultPython: "python" }).map((x) => x.command), ["python"]);
  });

  it("does not try the same interpreter twice", () => {
    assert.equal(launchCandidates({ pythonFromExtension: "python3" }).length, 1);
  });

  it("expands ~ and ${workspaceFolder}", () => {
    const c = launchCandidates({ serverPath: "~/bin/ariadne-lsp", homeDir: "/home/u" });
    assert.equal(c[0].command, "/home/u/bin/ariadne-lsp");
    assert.equal(expandPath("${workspaceFolder}/.venv/bin/python", "/h", "/ws"), "/ws/.venv/bin/python");
    assert.equal(expandPath("/a/~b", "/h"), "/a/~b");
  });
});

describe("messages", () => {
  const python = { command: "python3", args: ["-m", "ariadne_lsp"], source: "default python" as const };
  const exe = { command: "/nope/ariadne-lsp", args: [], source: "server.path" as const };

  it("describes and quotes the command", () => {
    assert.equal(describeLaunch(python), "python3 -m ariadne_lsp");
    assert.equal(describeLaunch({ ...exe, command: "/my dir/ariadne-lsp" }), '"/my dir/ariadne-lsp"');
  });

  it("gives the install command for the interpreter in use", () => {
    assert.equal(installCommand(python), "python3 -m pip install ariadne-lsp");
    assert.equal(installCommand(exe), "pip install ariadne-lsp");
  });

  it("says what is missing and how to install it", () => {
    const m = missingServerMessage(python, "module-missing");
    assert.match(m, /not installed for "python3"/);
    assert.match(m, /python3 -m pip install ariadne-lsp/);
    assert.match(m, /pip install -e/);
    const e = missingServerMessage(exe, "not-found");
    assert.match(e, /"\/nope\/ariadne-lsp" \(ariadne.server.path\) was not found/);
    assert.match(e, /pip install ariadne-lsp/);
    const f = missingServerMessage(python, "failed", "Traceback...\nImportError: boom\n");
    assert.match(f, /failed: ImportError: boom/);
  });

  it("classifies probe failures", () => {
    assert.equal(classifyFailure("ENOENT", ""), "not-found");
    assert.equal(classifyFailure(undefined, "/usr/bin/python3: No module named ariadne_lsp"), "module-missing");
    assert.equal(classifyFailure(undefined, "SyntaxError"), "failed");
  });
});

describe("RestartPolicy", () => {
  it("allows one restart per window", () => {
    const p = new RestartPolicy(1, 1000);
    assert.equal(p.shouldRestart(0), true);
    assert.equal(p.shouldRestart(10), false);
    assert.equal(p.shouldRestart(500), false);
    assert.equal(p.shouldRestart(1500), true);
    p.reset();
    assert.equal(p.shouldRestart(1600), true);
  });
});
