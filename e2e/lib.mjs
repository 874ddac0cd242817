// Shared helpers of the cxlens browser tests (node --test e2e/).
//
//   startServer({demo}) → {url, key, workspace, db, stop()}: a fresh SQLite
//     database in a temporary directory, a workspace (the demo one when
//     demo is true) and an API key, and bin/cxlens serving it on a free
//     loopback port. Build bin/cxlens first (scripts/e2e does).
//   createUser(server, {email, password, role}) → a dashboard user, made
//     by `cxlens user create` with the password on stdin.
//   launchBrowser() → Debian's chromium driven by playwright-core.
//   api(server, method, path, body) → {status, body} through the API key.
//   screenshot(page, name) → test-output/<name>.png.
//   checkA11y(page, what) → fails on serious or critical axe-core findings.
import { execFile, spawn } from "node:child_process";
import { mkdtemp, mkdir, rm } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import assert from "node:assert/strict";
import AxeBuilder from "@axe-core/playwright";
import { chromium } from "playwright-core";

export const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
export const bin = join(root, "bin", "cxlens");
export const outputDir = join(root, "test-output");

const run = promisify(execFile);

async function cxlens(db, ...args) {
  const { stdout } = await run(bin, ["--db", db, ...args], { cwd: root, maxBuffer: 64 << 20 });
  return stdout.trim();
}

/** freePort returns a loopback TCP port nobody listens on now. */
export function freePort() {
  return new Promise((ok, fail) => {
    const s = createServer();
    s.on("error", fail);
    s.listen(0, "127.0.0.1", () => {
      const { port } = s.address();
      s.close(() => ok(port));
    });
  });
}

async function waitHealthy(url, child, ms = 20000) {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (child.exitCode !== null) throw new Error(`cxlens serve exited with ${child.exitCode}`);
    try {
      const r = await fetch(url + "/healthz");
      if (r.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`cxlens at ${url} not healthy after ${ms} ms`);
}

/** startServer starts cxlens on a fresh database; call stop() when done. */
export async function startServer({ demo = false } = {}) {
  const dir = await mkdtemp(join(tmpdir(), "cxlens-e2e-"));
  const db = join(dir, "cxlens.db");
  const workspace = demo ? await cxlens(db, "demo", "--seed", "1") : await cxlens(db, "workspace", "create", "E2E");
  const key = await cxlens(db, "apikey", "create", "--workspace", workspace, "--name", "e2e");
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const logs = [];
  const child = spawn(bin, ["--db", db, "serve", "--addr", `127.0.0.1:${port}`], { cwd: root, stdio: ["ignore", "pipe", "pipe"] });
  child.stdout.on("data", (b) => logs.push(String(b)));
  child.stderr.on("data", (b) => logs.push(String(b)));
  try {
    await waitHealthy(url, child);
  } catch (err) {
    child.kill("SIGKILL");
    throw new Error(`${err.message}\n${logs.join("")}`);
  }
  return {
    url,
    key,
    workspace: Number(workspace),
    db,
    logs,
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once("exit", r));
        child.kill("SIGTERM");
        await exited;
      }
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** launchBrowser starts Debian's headless chromium. */
/** createUser runs `cxlens user create` on the server's database, the password on stdin. */
export function createUser(server, { email, password, role }) {
  return new Promise((ok, fail) => {
    const args = ["--db", server.db, "user", "create", "--workspace", String(server.workspace), "--email", email, "--role", role, "--password-stdin"];
    const child = spawn(bin, args, { cwd: root });
    let err = "";
    child.stderr.on("data", (b) => (err += b));
    child.on("exit", (code) => (code === 0 ? ok() : fail(new Error(`cxlens user create: exit ${code}: ${err}`))));
    child.stdin.end(password + "\n");
  });
}

export function launchBrowser() {
  return chromium.launch({
    executablePath: "/usr/bin/chromium",
    headless: true,
    args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
  });
}

/** api calls the server's API with its key; body is sent as JSON. */
export async function api(server, method, path, body) {
  const r = await fetch(server.url + path, {
    method,
    headers: { Authorization: `Bearer ${server.key}`, ...(body === undefined ? {} : { "Content-Type": "application/json" }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await r.text();
  let json;
  try {
    json = text ? JSON.parse(text) : null;
  } catch {
    json = text;
  }
  return { status: r.status, body: json };
}

/** screenshot saves a full-page screenshot to test-output/<name>.png. */
export async function screenshot(page, name) {
  await mkdir(outputDir, { recursive: true });
  await page.screenshot({ path: join(outputDir, `${name}.png`), fullPage: true });
}

/** checkA11y fails on serious or critical axe-core violations (WCAG 2 A/AA) on page. */
export async function checkA11y(page, what) {
  const res = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa"]).analyze();
  const bad = res.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
  assert.deepEqual(
    bad.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(" ")).slice(0, 3).join(", ")})`),
    [],
    `accessibility violations on ${what}`,
  );
}
