// Builds the portal (/) and the workbench (/workbench/) into dist/: one minified bundle per front end,
// the pages, the style sheet and the UI strings. No CDN: everything the pages load comes from dist/.
import { build } from "esbuild";
import { cpSync, mkdirSync, rmSync, writeFileSync, existsSync } from "node:fs";

const out = "dist";
rmSync(out, { recursive: true, force: true });
mkdirSync(`${out}/workbench`, { recursive: true });
await build({
  entryPoints: { "portal": "src/portal/main.tsx", "workbench/workbench": "src/workbench/main.tsx" },
  outdir: out,
  bundle: true,
  minify: true,
  sourcemap: false,
  format: "esm",
  target: "es2020",
  jsx: "automatic",
  jsxImportSource: "preact",
  logLevel: "warning",
});
cpSync("public", out, { recursive: true });
// The UI strings are fetched by language, so a Chinese reader never downloads the Tibetan file.
cpSync("src/i18n", `${out}/i18n`, { recursive: true });
// Locally the pages sign in through the development token route; a deployment overwrites this file
// with its identity provider (scripts/web-config.sh, run by azure.yaml).
if (!existsSync(`${out}/config.json`)) {
  writeFileSync(`${out}/config.json`, JSON.stringify({ apiBase: "/api", signIn: "development" }, null, 2) + "\n");
}
console.log("web: built dist/ (portal at /, workbench at /workbench/)");
