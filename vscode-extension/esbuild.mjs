// Bundles the extension and vscode-languageclient into one file: the .vsix then needs no node_modules.
import * as esbuild from "esbuild";

const production = !process.argv.includes("--dev");

await esbuild.build({
  entryPoints: ["src/extension.ts"],
  bundle: true,
  outfile: "dist/extension.js",
  platform: "node",
  format: "cjs",
  target: "node18",
  external: ["vscode"],
  sourcemap: production ? false : "inline",
  minify: production,
  logLevel: "info",
});
