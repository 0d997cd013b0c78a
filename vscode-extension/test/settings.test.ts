import assert from "node:assert/strict";
import { describe, it } from "node:test";

import { serverSettings, withApiKey } from "../src/settings";

const section = {
  backend: "auto",
  baseUrl: "http://127.0.0.1:11434/v1",
  model: "llama3",
  exclude: ["**/secrets/**"],
  server: { path: "", python: "python3" },
  trace: { server: "off" },
};

describe("serverSettings", () => {
  it("drops the client's own keys and adds the API key", () => {
    assert.deepEqual(serverSettings(section, "sk-1"), {
      backend: "auto",
      baseUrl: "http://127.0.0.1:11434/v1",
      model: "llama3",
      exclude: ["**/secrets/**"],
      apiKey: "sk-1",
    });
  });

  it("sends apiKey null without a key, so that removing it reaches the server", () => {
    assert.equal(serverSettings(section, undefined).apiKey, null);
    assert.equal(serverSettings(section, "  ").apiKey, null);
  });

  it("never takes an apiKey from settings.json", () => {
    assert.equal(serverSettings({ apiKey: "from-settings" }, undefined).apiKey, null);
  });

  it("copes with a missing section", () => {
    assert.deepEqual(serverSettings(undefined, undefined), { apiKey: null });
    assert.deepEqual(serverSettings([1, 2], "k"), { apiKey: "k" });
  });
});

describe("withApiKey", () => {
  it("adds the key to ariadne items only", () => {
    const out = withApiKey([{ section: "ariadne" }, { section: "editor" }, { section: "ariadne.model" }], [section, { tabSize: 4 }, "llama3"], "sk-2");
    assert.equal((out[0] as Record<string, unknown>).apiKey, "sk-2");
    assert.equal("server" in (out[0] as Record<string, unknown>), false);
    assert.deepEqual(out[1], { tabSize: 4 });
    assert.equal(out[2], "llama3");
  });
});
