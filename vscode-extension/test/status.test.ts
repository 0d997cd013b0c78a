import assert from "node:assert/strict";
import { describe, it } from "node:test";

import { formatStats, parseStatus, type ServerStatus, statusView } from "../src/status";

const base: ServerStatus = { backend: "gpt-4o-mini", offline: false, queued: 0, running: 0, done: 0, total: 0, error: null };

describe("statusView", () => {
  it("is idle with the backend in the tooltip", () => {
    const v = statusView("running", base);
    assert.equal(v.kind, "idle");
    assert.equal(v.text, "$(check) Ariadne");
    assert.match(v.tooltip, /Backend: gpt-4o-mini/);
  });

  it("counts progress while summarizing", () => {
    const v = statusView("running", { ...base, queued: 25, running: 3, done: 12, total: 40 });
    assert.equal(v.kind, "busy");
    assert.equal(v.text, "$(sync~spin) Ariadne: summarizing 12/40");
    assert.match(v.tooltip, /3 running, 25 queued/);
  });

  it("is busy with work outside a batch (hovers)", () => {
    const v = statusView("running", { ...base, running: 1 });
    assert.equal(v.text, "$(sync~spin) Ariadne: summarizing 1 left");
  });

  it("shows offline mode with a hint", () => {
    const v = statusView("running", { ...base, backend: "offline summary", offline: true });
    assert.equal(v.kind, "offline");
    assert.match(v.text, /Ariadne: offline$/);
    assert.match(v.tooltip, /Set API Key/);
  });

  it("shows an error with the reason in the tooltip", () => {
    const v = statusView("running", { ...base, error: "401 Unauthorized: check the API key", done: 3, total: 9 });
    assert.equal(v.kind, "error");
    assert.equal(v.text, "$(error) Ariadne");
    assert.match(v.tooltip, /401 Unauthorized: check the API key/);
  });

  it("reflects the client's own state", () => {
    assert.equal(statusView("starting").kind, "starting");
    assert.equal(statusView("running").kind, "idle");
    assert.equal(statusView("stopped").kind, "stopped");
    const failed = statusView("failed", undefined, "python3 not found");
    assert.equal(failed.kind, "error");
    assert.match(failed.tooltip, /python3 not found/);
  });
});

describe("parseStatus", () => {
  it("validates the notification", () => {
    assert.equal(parseStatus(null), undefined);
    assert.deepEqual(parseStatus({ backend: "m", offline: true, queued: 2, running: "x", done: -1, total: 4.7, error: "" }), {
      backend: "m",
      offline: true,
      queued: 2,
      running: 0,
      done: 0,
      total: 4,
      error: null,
    });
  });
});

describe("formatStats", () => {
  it("labels known counters in order, then the rest", () => {
    const lines = formatStats({ cacheHits: 3, backend: "fake-model", requestsSent: 5, extra: { a: 1 } });
    assert.deepEqual(lines, ["Backend: fake-model", "Requests sent: 5", "Cache hits: 3", 'extra: {"a":1}']);
    assert.deepEqual(formatStats(undefined), ["No statistics from the server."]);
  });
});
