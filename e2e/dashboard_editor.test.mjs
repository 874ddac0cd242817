// Browser tests of the survey editor and of changing one's password: edit
// a survey's texts while the live preview (htmx) follows in the chosen
// language, see a validation error at its field, save; change the password
// (another browser's session ends) and log in with the new one. axe-core
// on every page visited; screenshots in test-output/.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { api, launchBrowser, screenshot, startServer, checkA11y, createUser } from "./lib.mjs";

const email = "editor@e2e.example";
const password = "survey editor e2e password";
const newPassword = "a fresh editor passphrase";

let server, browser, ctx, page;

async function login(p, pw) {
  await p.goto(`${server.url}/login`);
  await p.getByLabel("Email").fill(email);
  await p.getByLabel("Password", { exact: true }).fill(pw);
  await p.getByRole("button", { name: "Log in" }).click();
}

before(async () => {
  server = await startServer({ demo: false });
  const created = await api(server, "POST", "/api/v1/surveys", { key: "nps-edit", template: "nps" });
  assert.equal(created.status, 201, JSON.stringify(created.body));
  await createUser(server, { email, password, role: "owner" });
  browser = await launchBrowser();
  ctx = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: "en-GB" });
  page = await ctx.newPage();
  await Promise.all([page.waitForURL(/\/app$/), login(page, password)]);
});

after(async () => {
  await ctx?.close();
  await browser?.close();
  await server?.stop();
});

test("edit a survey with its live preview in each language, then save", async () => {
  await page.goto(`${server.url}/app/surveys/nps-edit`);
  await Promise.all([page.waitForURL(/\/edit$/), page.getByRole("link", { name: "Edit survey" }).click()]);
  await page.getByRole("heading", { name: /^Edit Net Promoter Score/, level: 1 }).waitFor();
  const frame = page.frameLocator("#edit-frame");
  await frame.getByRole("heading", { name: "How likely are you to recommend us to a friend or colleague?" }).waitFor();
  await checkA11y(page, "survey editor");
  await screenshot(page, "survey-editor");

  // The preview language: Romanian, then type a new Romanian question.
  await page.getByLabel("Preview language").selectOption("ro");
  await frame.getByRole("heading", { name: /^Cât de probabil este/ }).waitFor();
  assert.equal(await frame.locator("html").getAttribute("lang"), "ro");
  await page.locator("#e-ro-question").fill("Ne-ați recomanda prietenilor?");
  await frame.getByRole("heading", { name: "Ne-ați recomanda prietenilor?" }).waitFor();

  // Traditional Chinese: the preview follows the language and the text as typed.
  await page.getByLabel("Preview language").selectOption("zh-Hant");
  await frame.getByRole("heading", { name: "您有多大可能向朋友或同事推薦我們？" }).waitFor();
  assert.equal(await frame.locator("html").getAttribute("lang"), "zh-Hant");
  await page.locator("#e-zh-Hant-question").fill("您會推薦我們嗎？");
  await frame.getByRole("heading", { name: "您會推薦我們嗎？" }).waitFor();

  // The follow-up prompt, previewed on the comment step after a low score.
  await page.getByLabel("Preview language").selectOption("en");
  await page.getByLabel("Step").selectOption("0");
  await page.locator("#e-en-follow_up-detractor").fill("Sorry! What went wrong?");
  await frame.getByRole("textbox", { name: "Sorry! What went wrong?" }).waitFor();
  await screenshot(page, "survey-editor-live-preview");

  // A bad value is refused, its error next to the field.
  await page.locator("#e-name").fill("n".repeat(300));
  await page.getByRole("button", { name: "Save survey" }).click();
  await page.locator("#e-name-err").waitFor();
  assert.match(await page.locator("#e-name-err").textContent(), /longer than 256 bytes/);
  assert.equal(await page.locator("#e-name").getAttribute("aria-invalid"), "true");
  await checkA11y(page, "survey editor with an error");
  await screenshot(page, "survey-editor-error");

  // The typed texts survived the error; fix the name and save.
  assert.equal(await page.locator("#e-ro-question").inputValue(), "Ne-ați recomanda prietenilor?");
  await page.locator("#e-name").fill("NPS edited in the browser");
  await Promise.all([page.waitForURL(/\/edit\?saved=1/), page.getByRole("button", { name: "Save survey" }).click()]);
  await page.getByText("Survey saved.").waitFor();
  const got = await api(server, "GET", "/api/v1/surveys/nps-edit");
  assert.equal(got.status, 200);
  assert.equal(got.body.name, "NPS edited in the browser");
  assert.equal(got.body.design.texts.ro.question, "Ne-ați recomanda prietenilor?");
  assert.equal(got.body.design.texts["zh-Hant"].question, "您會推薦我們嗎？");
  assert.equal(got.body.design.texts.en.follow_up.detractor, "Sorry! What went wrong?");
  // The hosted page shows the saved Romanian question.
  const w = await api(server, "GET", "/api/v1/widget");
  const hosted = await fetch(`${server.url}/s/${w.body.public_key}/nps-edit?lang=ro`).then((r) => r.text());
  assert.match(hosted, /Ne-ați recomanda prietenilor\?/);
});

test("change the password: other sessions end, the new one logs in", async () => {
  const ctx2 = await browser.newContext({ locale: "en-GB" });
  const other = await ctx2.newPage();
  try {
    await Promise.all([other.waitForURL(/\/app$/), login(other, password)]);
    await page.goto(`${server.url}/app/settings`);
    await page.getByRole("heading", { name: "Change password" }).waitFor();
    await checkA11y(page, "settings with the password form");
    // A wrong current password is refused.
    await page.getByLabel("Current password").fill("not the password at all");
    await page.getByLabel("New password (at least 10 characters)").fill(newPassword);
    await page.getByLabel("Repeat the password").fill(newPassword);
    await page.getByRole("button", { name: "Change password" }).click();
    await page.getByText("The current password is wrong.").waitFor();
    await checkA11y(page, "password form with an error");
    await screenshot(page, "settings-password-error");
    await page.getByLabel("Current password").fill(password);
    await page.getByLabel("New password (at least 10 characters)").fill(newPassword);
    await page.getByLabel("Repeat the password").fill(newPassword);
    await Promise.all([page.waitForURL(/done=password/), page.getByRole("button", { name: "Change password" }).click()]);
    await page.getByText("Password changed.").waitFor();
    await screenshot(page, "settings-password-changed");

    // The other browser was logged out.
    await other.goto(`${server.url}/app/settings`);
    assert.match(other.url(), /\/login/);

    // Both events are in the audit log.
    await page.goto(`${server.url}/app/settings/audit`);
    await page.getByRole("cell", { name: "user.password_changed" }).waitFor();
    await page.getByRole("cell", { name: "survey.updated" }).waitFor();

    // Log out and in with the new password. (That the old one fails is
    // checked in settings_password_test.go: five attempts per account
    // and minute is the login's limit, and this file uses them all.)
    await page.getByRole("button", { name: "Log out" }).click();
    await page.waitForURL(/\/login$/);
    await Promise.all([page.waitForURL(/\/app$/), login(page, newPassword)]);
  } finally {
    await ctx2.close();
  }
});
