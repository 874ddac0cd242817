// Browser tests of the dashboard's accounts and settings: first-run setup,
// log out and in, create an API key (and use it), erase a customer, the
// language switcher, a phone viewport; axe-core on every page visited.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { api, launchBrowser, screenshot, startServer, checkA11y } from "./lib.mjs";

const email = "owner@e2e.example";
const password = "a long e2e passphrase";
let server, browser, ctx, page;

before(async () => {
  server = await startServer({ demo: false });
  browser = await launchBrowser();
  const r = await api(server, "POST", "/api/v1/customers", [{ external_id: "cust-erase", email: "erase.me@example.com", name: "Erase Me" }]);
  assert.ok(r.status < 300, JSON.stringify(r.body));
  ctx = await browser.newContext({ locale: "en-GB", viewport: { width: 1280, height: 900 } });
  page = await ctx.newPage();
});

after(async () => {
  await ctx?.close();
  await browser?.close();
  await server?.stop();
});

test("first-run setup creates the owner and logs in", async () => {
  await page.goto(server.url + "/");
  assert.match(page.url(), /\/setup$/);
  await checkA11y(page, "setup");
  await screenshot(page, "accounts-setup");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Name").fill("E2E Owner");
  await page.getByLabel("New password").fill(password);
  await page.getByLabel("Repeat the password").fill(password);
  await page.getByRole("button", { name: "Create account" }).click();
  await page.waitForURL(/\/app$/);
  const cookies = await ctx.cookies();
  const session = cookies.find((c) => c.name === "cxl_session");
  assert.ok(session?.httpOnly && session.sameSite === "Lax", "session cookie is HttpOnly and SameSite=Lax");
});

test("log out and log in again", async () => {
  await page.goto(server.url + "/app/settings");
  await page.getByRole("button", { name: "Log out" }).click();
  await page.waitForURL(/\/login$/);
  await checkA11y(page, "login");
  await screenshot(page, "accounts-login");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill("wrong password!");
  await page.getByRole("button", { name: "Log in" }).click();
  await page.getByText("Email or password is wrong.").waitFor();
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Log in" }).click();
  await page.waitForURL(/\/app$/);
});

test("create an API key, shown once, that works", async () => {
  await page.goto(server.url + "/app/settings/keys");
  await checkA11y(page, "API keys");
  await page.getByLabel("Name (what uses the key)").fill("e2e browser key");
  await page.getByLabel("Access").selectOption("read");
  await page.getByRole("button", { name: "Create API key" }).click();
  const key = (await page.locator("#new-key").textContent()).trim();
  assert.match(key, /^cxl_/);
  await checkA11y(page, "API key created");
  await screenshot(page, "accounts-apikey-created");
  const r = await fetch(server.url + "/api/v1/customers?limit=1", { headers: { Authorization: `Bearer ${key}` } });
  assert.equal(r.status, 200, "the new key reads the API");
  await page.goto(server.url + "/app/settings/keys");
  assert.equal(await page.getByText(key).count(), 0, "the key is not shown again");
  await page.getByRole("cell", { name: "e2e browser key" }).waitFor();
});

test("erase a customer", async () => {
  await page.goto(server.url + "/app/settings/erase");
  await page.getByLabel("Customer's external id").fill("cust-erase");
  await page.getByRole("button", { name: "Look up" }).click();
  await page.getByText("erase.me@example.com").waitFor();
  await checkA11y(page, "erasure confirmation");
  await screenshot(page, "accounts-erase-confirm");
  await page.getByLabel("Type cust-erase to confirm").fill("cust-erase");
  await page.getByRole("button", { name: "Erase personal data" }).click();
  await page.getByText("The customer's personal data was erased.").waitFor();
  await screenshot(page, "accounts-erase-done");
  const r = await api(server, "GET", "/api/v1/customers/cust-erase");
  assert.equal(r.status, 404, "the erased customer is not found by external id");
  await page.goto(server.url + "/app/settings/audit");
  await page.getByRole("cell", { name: "customer.erased" }).waitFor();
  await page.getByRole("cell", { name: "apikey.created" }).waitFor();
  await checkA11y(page, "audit log");
  await screenshot(page, "accounts-audit");
});

test("settings pages are accessible", async () => {
  for (const [path, name] of [
    ["/app/settings", "account"],
    ["/app/settings/users", "users"],
    ["/app/settings/webhooks", "webhooks"],
    ["/app/settings/export", "export"],
    ["/app/settings/email", "email"],
    ["/app/no-such-page", "404"],
  ]) {
    await page.goto(server.url + path);
    await checkA11y(page, path);
    await screenshot(page, `accounts-settings-${name}`);
  }
});

test("language switcher and a phone viewport", async () => {
  await page.goto(server.url + "/app/settings/users");
  await page.getByLabel("Language").selectOption("zh");
  await page.locator('form[action="/lang"] button').click();
  await page.waitForURL(/\/app\/settings\/users$/);
  assert.equal(await page.locator("html").getAttribute("lang"), "zh");
  await page.getByRole("heading", { name: "设置" }).waitFor();
  await checkA11y(page, "users page in Chinese");
  await screenshot(page, "accounts-users-zh");
  await page.setViewportSize({ width: 390, height: 844 });
  await page.getByLabel("语言").selectOption("ro");
  await page.locator('form[action="/lang"] button').click();
  await page.getByRole("heading", { name: "Setări" }).waitFor();
  await checkA11y(page, "users page in Romanian on a phone");
  await screenshot(page, "accounts-users-ro-phone");
});
