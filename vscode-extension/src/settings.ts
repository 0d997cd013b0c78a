// What the server receives as settings: pure logic, no `vscode` import.

/** Keys under `ariadne` that belong to the extension, not to the server. */
export const CLIENT_ONLY_KEYS = new Set(["server", "trace", "apiKey"]);
/** Where the API key is kept in VS Code's SecretStorage. */
export const API_KEY_SECRET = "ariadne.apiKey";

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * The flat camelCase object the server takes (initializationOptions, workspace/configuration): the
 * `ariadne` section without the client's own keys, plus the key from SecretStorage. `apiKey` is always
 * present (null when unset) so that removing the key reaches a running server too.
 */
export function serverSettings(section: unknown, apiKey: string | undefined): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (isObject(section)) {
    for (const [key, value] of Object.entries(section)) {
      if (!CLIENT_ONLY_KEYS.has(key) && typeof value !== "function") {
        out[key] = value;
      }
    }
  }
  out.apiKey = apiKey && apiKey.trim() !== "" ? apiKey.trim() : null;
  return out;
}

/**
 * The answer to a workspace/configuration request with the key added to every `ariadne` item. Items for
 * other sections (or sub-sections such as `ariadne.model`) are passed through unchanged.
 */
export function withApiKey(
  items: ReadonlyArray<{ section?: string; scopeUri?: string }>,
  results: unknown[],
  apiKey: string | undefined,
): unknown[] {
  return results.map((result, i) => (items[i]?.section === "ariadne" ? serverSettings(result, apiKey) : result));
}
