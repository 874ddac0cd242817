// Browser tests of the hosted survey page and the web widget.
import assert from "node:assert/strict";
import { createServer } from "node:http";
import { after, before, test } from "node:test";
import { api, freePort, launchBrowser, screenshot, startServer, checkA11y } from "./lib.mjs";

let server, browser, publicKey;

before(async () => {
  server = await startServer({ demo: false });
  browser = await launchBrowser();
  const created = await api(server, "POST", "/api/v1/surveys", { key: "nps-e2e", template: "nps", design: undefined });
  assert.equal(created.status, 201, JSON.stringify(created.body));
  const w = await api(server, "GET", "/api/v1/widget");
  assert.equal(w.status, 200);
  publicKey = w.body.public_key;
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

async function responses() {
  const r = await api(server, "GET", "/api/v1/responses?survey=nps-e2e&limit=100");
  assert.equal(r.status, 200, JSON.stringify(r.body));
  return r.body.items;
}

// answerHosted answers the anonymous link in a browser whose language is
// locale, checking the words shown, and returns the response stored.
async function answerHosted({ locale, name, question, followUp, thanks, score, comment }) {
  const ctx = await browser.newContext({ locale, viewport: { width: 390, height: 844 } }); // a phone
  const page = await ctx.newPage();
  try {
    const res = await page.goto(`${server.url}/s/${publicKey}/nps-e2e`);
    assert.equal(res.status(), 200);
    await page.getByRole("heading", { name: question }).waitFor();
    assert.equal(await page.locator("html").getAttribute("lang"), locale === "zh-CN" ? "zh-Hans" : "en");
    await checkA11y(page, "the score step");
    await screenshot(page, `survey-${name}-score`);

    // Keyboard: tab to the score and press Enter, as a keyboard user would.
    const button = page.getByRole("button", { name: new RegExp(`^${score}( |$)`) });
    await button.focus();
    await page.keyboard.press("Enter");
    await page.getByRole("textbox", { name: followUp }).waitFor();
    await screenshot(page, `survey-${name}-comment`);
    await page.getByRole("textbox", { name: followUp }).fill(comment);
    await page.getByRole("button", { name: /Send|提交/ }).click();
    await page.getByText(thanks).waitFor();
    await screenshot(page, `survey-${name}-thanks`);
  } finally {
    await ctx.close();
  }
  const found = (await responses()).filter((r) => r.comment === comment);
  assert.equal(found.length, 1, "one response with the comment");
  return found[0];
}

test("hosted survey page in English", async () => {
  const r = await answerHosted({
    locale: "en-US",
    name: "en",
    question: "How likely are you to recommend us to a friend or colleague?",
    followUp: "What is the main reason for your score? What do you like most?",
    thanks: "Thank you! We are glad you would recommend us.",
    score: 9,
    comment: "Fast delivery and friendly support",
  });
  assert.equal(r.score, 9);
  assert.equal(r.language, "en");
  assert.equal(r.channel, "link");
});

test("hosted survey page in Chinese", async () => {
  const r = await answerHosted({
    locale: "zh-CN",
    name: "zh",
    question: "您有多大可能向朋友或同事推荐我们？",
    followUp: "您给出这个分数的主要原因是什么？我们可以在哪些方面做得更好？",
    thanks: "感谢您的坦诚反馈，我们会据此改进。",
    score: 3,
    comment: "送货太慢了",
  });
  assert.equal(r.score, 3);
  assert.equal(r.language, "zh-hans");
});

// host serves one HTML page embedding the widget, on its own origin.
async function host(html) {
  const port = await freePort();
  const srv = createServer((req, res) => {
    res.writeHead(200, { "Content-Type": "text/html; charset=utf-8" });
    res.end(html);
  });
  await new Promise((ok) => srv.listen(port, "127.0.0.1", ok));
  return { origin: `http://127.0.0.1:${port}`, close: () => new Promise((ok) => srv.close(ok)) };
}

function shopPage(lang) {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Shop</title></head><body><h1>Thanks for your order</h1>
<script src="${server.url}/w/widget.js" data-key="${publicKey}" data-survey="nps-e2e" data-customer="web-1" data-lang="${lang}" async></script></body></html>`;
}

test("widget on an allowed origin, refused elsewhere", async () => {
  const shop = await host(shopPage("zh-Hans"));
  const other = await host(shopPage("en"));
  try {
    const put = await api(server, "PUT", "/api/v1/widget", { allowed_origins: [shop.origin] });
    assert.equal(put.status, 200, JSON.stringify(put.body));

    const ctx = await browser.newContext({ locale: "en-US" });
    const page = await ctx.newPage();
    await page.goto(shop.origin + "/");
    const dialog = page.getByRole("dialog");
    await dialog.getByText("您有多大可能向朋友或同事推荐我们？").waitFor();
    await screenshot(page, "widget-prompt");
    await dialog.getByRole("button", { name: /^10/ }).click();
    const box = dialog.getByRole("textbox", { name: "您给出这个分数的主要原因是什么？您最喜欢我们哪一点？" });
    await box.fill("界面很好用");
    await dialog.getByRole("button", { name: "提交" }).click();
    await dialog.getByText("谢谢！很高兴您愿意推荐我们。").waitFor();
    await screenshot(page, "widget-thanks");
    const stored = (await responses()).filter((r) => r.channel === "widget");
    assert.equal(stored.length, 1);
    assert.equal(stored[0].score, 10);
    assert.equal(stored[0].comment, "界面很好用");
    assert.equal(stored[0].customer, "web-1");
    // Answered: the prompt stays away on the next visit.
    await page.reload();
    await page.waitForTimeout(1000);
    assert.equal(await page.getByRole("dialog").count(), 0);
    await ctx.close();

    // Another origin: the browser gets no CORS grant, so no prompt and no post.
    const ctx2 = await browser.newContext();
    const page2 = await ctx2.newPage();
    const asked = new Promise((ok) => {
      page2.on("requestfailed", (r) => r.url().includes("/w/v1/surveys/") && ok("failed"));
      page2.on("response", (r) => r.url().includes("/w/v1/surveys/") && ok(r.status()));
    });
    await page2.goto(other.origin + "/");
    assert.ok([403, "failed"].includes(await asked), "the design request is refused");
    const direct = await fetch(`${server.url}/w/v1/surveys/nps-e2e?key=${publicKey}`, { headers: { Origin: other.origin } });
    assert.equal(direct.status, 403);
    assert.equal(direct.headers.get("access-control-allow-origin"), null);
    await page2.waitForTimeout(500);
    assert.equal(await page2.getByRole("dialog").count(), 0);
    const posted = await page2.evaluate(async ([url, key]) => {
      try {
        await fetch(`${url}/w/v1/responses?key=${key}`, { method: "POST", headers: { "Content-Type": "application/json" },
          body: JSON.stringify({ survey: "nps-e2e", score: 0, nonce: "0123456789abcdef0123456789abcdef" }) });
        return "sent";
      } catch (e) {
        return "blocked";
      }
    }, [server.url, publicKey]);
    assert.equal(posted, "blocked");
    await screenshot(page2, "widget-other-origin");
    await ctx2.close();
    assert.equal((await responses()).filter((r) => r.channel === "widget").length, 1);
  } finally {
    await shop.close();
    await other.close();
  }
});
