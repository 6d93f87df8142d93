import { existsSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium, type Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createAnswerEngine } from "../../../src/answer/engine.js";
import { createWebServer, type WebServer } from "../../../src/channels/web/server.js";
import { loadConfig } from "../../../src/config.js";
import { openKnowledgeBase } from "../../../src/knowledge.js";
import { createLogger } from "../../../src/logger.js";
import { repoPath } from "../../helpers.js";

const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const hasChromium = existsSync(CHROMIUM);
if (!hasChromium) console.warn(`browser test skipped: no Chromium at ${CHROMIUM} (apt-get install -y chromium, or set CHROMIUM_PATH)`);

describe("the web page in headless Chromium", () => {
  const indexDir = mkdtempSync(join(tmpdir(), "policybot-browser-"));
  let web: WebServer | undefined;
  let browser: Browser | undefined;
  let url = "";

  beforeAll(async () => {
    if (!hasChromium) return;
    const logger = createLogger({ level: "silent", format: "json" });
    const config = loadConfig({ SEEDS_DIR: repoPath("seeds"), INDEX_DIR: indexDir, PORT: "0" });
    const kb = await openKnowledgeBase({ config, logger, persist: false });
    web = createWebServer({ config, logger, kb, engine: createAnswerEngine({ kb, config, logger }) });
    url = (await web.listen()).url;
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
    });
  });
  afterAll(async () => {
    await browser?.close();
    await web?.close();
    rmSync(indexDir, { recursive: true, force: true });
  });

  // In CI a missing browser is a failure (.ci/run installs it); elsewhere the test says why it skipped.
  it.runIf(process.env.CI === "true")("has Chromium available in CI", () => {
    expect(hasChromium, `Chromium not found at ${CHROMIUM}; .ci/run should install it`).toBe(true);
  });

  it.skipIf(!hasChromium)(`asks, opens the cited unit with the quote marked, and closes it with Esc (needs Chromium at ${CHROMIUM})`, async () => {
    const page = await browser!.newPage({ viewport: { width: 900, height: 900 }, locale: "zh-CN" });
    const problems: string[] = [];
    page.on("pageerror", (e) => problems.push(e.message));
    page.on("console", (m) => {
      if (m.type() === "error") problems.push(m.text());
    });
    await page.goto(url);

    await page.getByLabel("你的问题").fill("今年高标准农田要建多少？");
    await page.keyboard.press("Enter");
    const answer = page.locator(".answer-text").first();
    await expect.poll(() => answer.textContent()).toContain("78万亩");
    const chip = answer.getByRole("button", { name: /第5项/ }).first();
    expect(await chip.textContent()).toBe("〔第5项〕");

    await chip.click();
    const dialog = page.locator("#unit-dialog");
    const mark = dialog.locator("mark");
    await mark.waitFor();
    expect(await mark.textContent()).toBe("新建和改造提升高标准农田78万亩");
    expect(await dialog.locator("#unit-text").textContent()).toContain("增强粮食等重要农产品供给保障能力");

    mkdirSync(repoPath("test-results"), { recursive: true });
    await page.screenshot({ path: repoPath("test-results/web-chat.png"), fullPage: true });

    await page.keyboard.press("Escape");
    await expect.poll(() => dialog.getAttribute("open")).toBeNull();
    expect(await dialog.isVisible()).toBe(false);
    // Focus returns to the chip, so keyboard users keep their place.
    expect(await page.locator(":focus").textContent()).toBe("〔第5项〕");
    expect(problems).toEqual([]);
    await page.close();
  });
});
