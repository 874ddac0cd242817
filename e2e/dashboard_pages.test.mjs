// Browser tests of the dashboard's analysis pages on the demo workspace:
// log in, change the date range and a segment and see the numbers change,
// open every page (screenshot in test-output/), charts drawn with a PNG
// button, and no serious or critical axe-core violations.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { launchBrowser, screenshot, startServer, checkA11y, createUser } from "./lib.mjs";

const email = "analyst@demo.example";
const password = "dashboard e2e password";

let server, browser, page;

before(async () => {
  server = await startServer({ demo: true });
  await createUser(server, { email, password, role: "analyst" });
  browser = await launchBrowser();
  const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: "en-GB", acceptDownloads: true });
  page = await ctx.newPage();
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

async function figure(metric) {
  const v = await page.locator(`[data-metric="${metric}"] .value`).first().getAttribute("data-value");
  assert.ok(v !== null && v !== "–", `${metric} has a value`);
  return v;
}

function isoDay(d) {
  return d.toISOString().slice(0, 10);
}

test("log in, filter the Overview by date and segment", async () => {
  await page.goto(`${server.url}/login`);
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password", { exact: true }).fill(password);
  await Promise.all([page.waitForURL(/\/app/), page.getByRole("button", { name: /log in|sign in/i }).click()]);
  await page.goto(`${server.url}/app`);
  await page.getByRole("heading", { name: "Overview", level: 1 }).waitFor();
  const nps90 = await figure("nps");
  const n90 = await figure("volume");

  // Charts drawn from their data, each with a PNG button.
  await page.locator("[data-chart] canvas").first().waitFor();
  assert.ok((await page.locator("[data-chart] .chart-png").count()) >= 3, "PNG buttons");
  const [download] = await Promise.all([page.waitForEvent("download"), page.locator("[data-chart] .chart-png").first().click()]);
  assert.match(download.suggestedFilename(), /\.png$/);
  // The KPI tiles load after the page (htmx).
  await page.locator('#tiles [data-metric="churn_rate"]').waitFor();
  await checkA11y(page, "overview");
  await screenshot(page, "dashboard-overview");

  // A longer range: other numbers, and the range is in the URL.
  const from = new Date(Date.now() - 365 * 24 * 3600 * 1000);
  await page.locator("#f-from").fill(isoDay(from));
  await Promise.all([page.waitForURL(/from=/), page.getByRole("button", { name: "Apply" }).first().click()]);
  const nps365 = await figure("nps");
  const n365 = await figure("volume");
  assert.ok(Number(n365) > Number(n90), `more responses over a year (${n365}) than 90 days (${n90})`);
  assert.notEqual(nps365, nps90, "the NPS changes with the range");

  // A segment: fewer responses, another NPS; the link keeps both filters.
  await page.locator("#f-seg").fill("customer.plan=enterprise");
  await Promise.all([page.waitForURL(/seg=customer\.plan/), page.getByRole("button", { name: "Apply" }).first().click()]);
  const npsSeg = await figure("nps");
  const nSeg = await figure("volume");
  assert.ok(Number(nSeg) < Number(n365), `the segment has fewer responses (${nSeg} < ${n365})`);
  assert.notEqual(npsSeg, nps365, "the NPS changes with the segment");
  assert.match(page.url(), /from=/);
  await screenshot(page, "dashboard-overview-segment");

  // The shared link shows the same number.
  const shared = await browser.newContext();
  const p2 = await shared.newPage();
  await p2.goto(page.url());
  assert.match(p2.url(), /\/login/, "a shared link asks a stranger to log in");
  await shared.close();
});

const pages = [
  ["segments", "/app/segments", "Segments"],
  ["drivers", "/app/drivers", "Drivers"],
  ["support", "/app/support", "Support"],
  ["say-vs-do", "/app/say-vs-do", "Say vs do"],
  ["customers", "/app/customers", "Customers"],
  ["responses", "/app/responses", "Responses"],
  ["journey", "/app/journey", "Journey"],
];

for (const [name, path, heading] of pages) {
  test(`page ${name}`, async () => {
    const from = isoDay(new Date(Date.now() - 365 * 24 * 3600 * 1000));
    const res = await page.goto(`${server.url}${path}?from=${from}`);
    assert.equal(res.status(), 200);
    await page.getByRole("heading", { name: heading, level: 1 }).waitFor();
    assert.equal(await page.locator(".notice.error").count(), 0, "no error on the page");
    if ((await page.locator("[data-chart]").count()) > 0) {
      await page.locator("[data-chart] canvas").first().waitFor();
    }
    await checkA11y(page, name);
    await screenshot(page, `dashboard-${name}`);
    // The table downloads as CSV from the same URL.
    const csv = await page.evaluate(async (u) => (await fetch(u)).text(), `${path}?from=${from}&format=csv`);
    assert.ok(csv.split("\n").length > 2, `${name} CSV has rows`);
  });
}

test("customer profile and response detail", async () => {
  await page.goto(`${server.url}/app/customers`);
  await page.locator("tbody tr th a").first().click();
  await page.locator("#timeline").waitFor();
  assert.ok((await page.locator(".timeline li").count()) > 0, "the timeline has entries");
  await checkA11y(page, "customer");
  await screenshot(page, "dashboard-customer");
  await page.goto(`${server.url}/app/responses`);
  await page.locator("tbody tr td a").first().click();
  await page.locator("#timeline").waitFor();
  await screenshot(page, "dashboard-response");
});
