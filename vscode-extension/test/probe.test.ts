import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { describe, it } from "node:test";

import { probeServer, versionCommand } from "../src/probe";

function script(body: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "ariadne-probe-"));
  const file = path.join(dir, "fake-server");
  fs.writeFileSync(file, `#!/bin/sh\n${body}\n`, { mode: 0o755 });
  return file;
}

describe("probeServer", () => {
  it("asks for --version with the module arguments kept", () => {
    assert.deepEqual(versionCommand({ command: "py", args: ["-m", "ariadne_lsp"], source: "server.python" }), {
      command: "py",
      args: ["-m", "ariadne_lsp", "--version"],
    });
    assert.deepEqual(versionCommand({ command: "x", args: ["-v"], source: "server.path" }).args, ["--version"]);
  });

  it("reports a missing executable", async () => {
    const r = await probeServer({ command: "/nonexistent/ariadne-lsp", args: ["-v"], source: "server.path" });
    assert.equal(r.ok, false);
    assert.equal(r.ok === false && r.failure, "not-found");
  });

  it("reports a missing module", { skip: process.platform === "win32" }, async () => {
    const file = script('echo "/usr/bin/python3: No module named ariadne_lsp" >&2; exit 1');
    const r = await probeServer({ command: file, args: ["-m", "ariadne_lsp"], source: "server.python" });
    assert.equal(r.ok === false && r.failure, "module-missing");
  });

  it("returns the version", { skip: process.platform === "win32" }, async () => {
    const file = script('echo "ariadne-lsp 0.1.0"');
    const r = await probeServer({ command: file, args: ["-v"], source: "server.path" });
    assert.deepEqual(r, { ok: true, version: "ariadne-lsp 0.1.0" });
  });

  it("does not block start-up on a slow server", { skip: process.platform === "win32" }, async () => {
    const file = script("exec sleep 5");
    const r = await probeServer({ command: file, args: ["-v"], source: "server.path" }, 200);
    assert.equal(r.ok, "unknown");
  });
});
