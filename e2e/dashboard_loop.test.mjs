// Browser tests of the Themes, Alerts & cases and Surveys pages on the demo
// workspace: drill from a theme to its verbatims (a highlighted match),
// open a survey's preview, open the cases inbox and a case; screenshots in
// test-output/ and no serious or critical axe-core violations.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { api, launchBrowser, screenshot, startServer, checkA11y, createUser } from "./lib.mjs";

const email = "loop@demo.example";
const password = "dashboard loop e2e password";

let server, browser, page;

before(async () => {
  server = await startServer({ demo: true });
  await createUser(server, { email, password, role: "analyst" });
  browser = await launchBrowser();
  const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: "en-GB" });
  page = await ctx.newPage();
  await page.goto(`${server.url}/login`);
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password", { exact: true }).fill(password);
  await Promise.all([page.waitForURL(/\/app/), page.getByRole("button", { name: /log in|sign in/i }).click()]);
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

test("drill from a theme to its verbatims with the match highlighted", async () => {
  await page.goto(`${server.url}/app/themes`);
  await page.getByRole("heading", { name: "Themes", level: 1 }).waitFor();
  await checkA11y(page, "themes");
  await screenshot(page, "dashboard-themes");
  const link = page.locator("table a[href^='/app/themes/']").first();
  const name = (await link.textContent()).trim();
  await Promise.all([page.waitForURL(/\/app\/themes\/[^/?]+/), link.click()]);
  await page.getByRole("heading", { name, level: 1 }).waitFor();
  const marks = page.locator("ol.verbatims mark");
  assert.ok((await marks.count()) > 0, "a highlighted match");
  assert.ok((await marks.first().textContent()).trim().length > 0, "the match has text");
  await checkA11y(page, "theme");
  await screenshot(page, "dashboard-theme-verbatims");
});

test("open a survey and its preview in each language", async () => {
  await page.goto(`${server.url}/app/surveys`);
  await page.getByRole("heading", { name: "Surveys", level: 1 }).waitFor();
  await checkA11y(page, "surveys");
  await screenshot(page, "dashboard-surveys");
  await Promise.all([page.waitForURL(/\/app\/surveys\/[^/?]+/), page.locator("table a[href^='/app/surveys/']").first().click()]);
  const frame = page.frameLocator("#survey-preview");
  await frame.locator("button[name=score]").first().waitFor();
  const langs = page.locator("nav ul.langs a");
  assert.ok((await langs.count()) >= 2, "several preview languages");
  // Switch to the last language: the preview follows.
  const last = langs.last();
  const lang = (await last.textContent()).trim();
  await Promise.all([page.waitForURL(new RegExp(`lang=${lang}`)), last.click()]);
  assert.equal(await page.locator("#survey-preview").getAttribute("src").then((s) => new URL(s, server.url).searchParams.get("lang")), lang);
  await frame.locator("button[name=score]").first().waitFor();
  assert.ok((await frame.locator("button[name=score]").count()) >= 5, "the preview shows the score buttons");
  assert.equal(await frame.locator("html").getAttribute("lang"), lang);
  assert.match(await page.locator("#s-snippet").inputValue(), /<script src=".*\/w\/widget\.js" data-key="/);
  await checkA11y(page, "survey");
  await screenshot(page, "dashboard-survey-preview");
});

test("open the cases inbox and work a case", async () => {
  const rule = await api(server, "POST", "/api/v1/alert-rules", { name: "Detractor", max_score: 6, sla_hours: 24, actions: ["create_case"] });
  assert.equal(rule.status, 201, JSON.stringify(rule.body));
  const surveys = await api(server, "GET", "/api/v1/surveys");
  const nps = (surveys.body.items ?? surveys.body).find((s) => s.kind === "nps");
  const resp = await api(server, "POST", "/api/v1/responses", { survey: nps.key, customer: "e2e-detractor", score: 1, submitted_at: new Date().toISOString(), comment: "Nobody answered my emails about the broken order." });
  assert.ok(resp.status === 201 || resp.status === 200, JSON.stringify(resp.body));
  await page.goto(`${server.url}/app/alerts`);
  await page.getByRole("heading", { name: "Alerts & cases", level: 1 }).waitFor();
  const caseLink = page.locator("table a[href^='/app/alerts/cases/']").first();
  await caseLink.waitFor();
  await checkA11y(page, "alerts");
  await screenshot(page, "dashboard-alerts");
  await Promise.all([page.waitForURL(/\/app\/alerts\/cases\/\d+/), caseLink.click()]);
  await page.getByText("Nobody answered my emails").waitFor();
  await page.locator("#k-status").selectOption("in_progress");
  await page.locator("#k-owner").fill(email);
  await Promise.all([page.waitForURL(/notice=saved/), page.getByRole("button", { name: "Save" }).click()]);
  assert.match(await page.locator("main").textContent(), /In progress/);
  await checkA11y(page, "case");
  await screenshot(page, "dashboard-case");
});
