import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium, type Browser, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createAnswerEngine } from "../../../src/answer/engine.js";
import { createWebServer, type WebServer } from "../../../src/channels/web/server.js";
import { loadConfig } from "../../../src/config.js";
import { SqliteFeedbackStore } from "../../../src/feedback/store.js";
import { openKnowledgeBase } from "../../../src/knowledge.js";
import { createLogger } from "../../../src/logger.js";
import { createQuizService } from "../../../src/quiz/service.js";
import { MemoryQuizStore } from "../../../src/quiz/store.js";
import { repoPath } from "../../helpers.js";

const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const hasChromium = existsSync(CHROMIUM);
if (!hasChromium) console.warn(`browser test skipped: no Chromium at ${CHROMIUM} (apt-get install -y chromium, or set CHROMIUM_PATH)`);

const PHONE = { name: "phone", width: 390, height: 844 };
const DESKTOP = { name: "desktop", width: 1366, height: 900 };
const QUESTIONS = ["今年高标准农田要建多少？", "我们村手机信号不好，有打算改善吗？", "就业方面有什么安排"];

describe("the web page in headless Chromium", () => {
  const indexDir = mkdtempSync(join(tmpdir(), "policybot-browser-"));
  const store = new SqliteFeedbackStore(":memory:");
  let web: WebServer | undefined;
  let browser: Browser | undefined;
  let url = "";

  beforeAll(async () => {
    if (!hasChromium) return;
    const logger = createLogger({ level: "silent", format: "json" });
    const config = loadConfig({ SEEDS_DIR: repoPath("seeds"), INDEX_DIR: indexDir, PORT: "0", API_RATE_LIMIT: "10000" });
    const kb = await openKnowledgeBase({ config, logger, persist: false });
    const engine = createAnswerEngine({ kb, config, logger });
    const quiz = createQuizService({ store: new MemoryQuizStore(), targets: engine.targets, units: kb.docs.flatMap((d) => d.units) });
    web = createWebServer({ config, logger, kb, engine, quiz, store });
    url = (await web.listen()).url;
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
    });
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await web?.close();
    store.close();
    rmSync(indexDir, { recursive: true, force: true });
  });

  /** A fresh page (own storage) that records script errors. */
  async function open(viewport: { width: number; height: number }, colorScheme: "light" | "dark" = "light", address = url) {
    const context = await browser!.newContext({ viewport, locale: "zh-CN", colorScheme });
    const page = await context.newPage();
    const problems: string[] = [];
    page.on("pageerror", (e) => problems.push(e.message));
    page.on("console", (m) => {
      if (m.type() === "error") problems.push(m.text());
    });
    await page.goto(address);
    return { page, problems, context };
  }

  /** Sends a question from the input and waits for its answer (the n-th, 1-based). */
  async function askAndWait(page: Page, question: string, n: number) {
    await page.getByLabel("你的问题").fill(question);
    await page.keyboard.press("Enter");
    await page.locator(".turn .answer:not([aria-busy]) .answer-text").nth(n - 1).waitFor();
  }

  /** True when the element's top edge is visible: below the page top and above the sticky input bar. */
  // The page functions below are strings: they run in the browser, and the test project has no DOM types.

  /** True when the element's top edge is visible: below the page top and above the sticky input bar. */
  async function topInView(page: Page, selector: string, index: number): Promise<boolean> {
    return page.evaluate(`(() => {
      const box = document.querySelectorAll(${JSON.stringify(selector)})[${index}].getBoundingClientRect();
      const bar = document.getElementById("ask-form").getBoundingClientRect();
      return box.top >= 0 && box.top < bar.top - 20;
    })()`);
  }

  /** Visible page text outside the plan's own words (answers, quotes, unit text), which may hold Latin letters. */
  async function chromeText(page: Page): Promise<string> {
    return page.evaluate(`(() => {
      const skip = ".answer-text, q, mark, .unit-text, .quote, .question, input";
      const out = [];
      const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
      for (let n = walker.nextNode(); n; n = walker.nextNode()) {
        const parent = n.parentElement;
        if (parent.closest(skip) || !parent.checkVisibility()) continue;
        out.push(n.textContent ?? "");
      }
      for (const e of document.querySelectorAll("[aria-label], [title], [placeholder]")) {
        if (e.checkVisibility()) out.push(e.getAttribute("aria-label") ?? "", e.getAttribute("placeholder") ?? "");
      }
      return out.join(" ");
    })()`);
  }

  /**
   * Saves a screenshot in test-results/; the README's copies in docs/ are written when missing or with
   * SCREENSHOTS=docs, so that an ordinary test run does not rewrite committed images.
   */
  async function screenshot(page: Page, name: string) {
    mkdirSync(repoPath("test-results"), { recursive: true });
    await page.screenshot({ path: repoPath(`test-results/${name}`) });
    if (process.env.SCREENSHOTS === "docs" || !existsSync(repoPath(`docs/${name}`))) {
      mkdirSync(repoPath("docs"), { recursive: true });
      copyFileSync(repoPath(`test-results/${name}`), repoPath(`docs/${name}`));
    }
  }

  // In CI a missing browser is a failure (.ci/run installs it); elsewhere the test says why it skipped.
  it.runIf(process.env.CI === "true")("has Chromium available in CI", () => {
    expect(hasChromium, `Chromium not found at ${CHROMIUM}; .ci/run should install it`).toBe(true);
  });

  it.skipIf(!hasChromium)("asks, opens the cited unit with the quote marked, and closes it with Esc", async () => {
    const { page, problems, context } = await open({ width: 900, height: 900 });
    await askAndWait(page, QUESTIONS[0]!, 1);
    const answer = page.locator(".answer-text").first();
    expect(await answer.textContent()).toContain("78万亩");
    const chip = answer.getByRole("button", { name: /第5项/ }).first();
    expect(await chip.textContent()).toBe("〔第5项〕");

    await chip.click();
    const dialog = page.locator("#unit-dialog");
    const mark = dialog.locator("mark");
    await mark.waitFor();
    expect(await mark.textContent()).toBe("新建和改造提升高标准农田78万亩");
    expect(await dialog.locator("#unit-text").textContent()).toContain("增强粮食等重要农产品供给保障能力");

    await page.keyboard.press("Escape");
    await expect.poll(() => dialog.getAttribute("open")).toBeNull();
    expect(await dialog.isVisible()).toBe(false);
    // Focus returns to the chip, so keyboard users keep their place.
    expect(await page.locator(":focus").textContent()).toBe("〔第5项〕");
    expect(problems).toEqual([]);
    await context.close();
  });

  for (const size of [PHONE, DESKTOP]) {
    it.skipIf(!hasChromium)(`${size.name} (${size.width}×${size.height}): the fourth answer and an empty question's error are in view, a vote is stored, the conversation survives a reload, no English for a Chinese question`, async () => {
      const { page, problems, context } = await open(size);

      // Example questions come from the plan and are clickable.
      const example = page.locator("#examples button").first();
      await example.waitFor();
      const exampleText = (await example.textContent())!;
      await example.click();
      await page.locator(".turn .answer:not([aria-busy]) .answer-text").first().waitFor();
      expect(await page.locator(".turn .question").first().textContent()).toBe(exampleText);

      for (let i = 1; i < 4; i++) {
        await askAndWait(page, QUESTIONS[i - 1]!, i + 1);
        if (i === 3) expect(await topInView(page, ".turn .answer", 3)).toBe(true);
      }
      expect(await page.locator(".turn").count()).toBe(4);
      // Every answer carries a visible label of how firmly it answers.
      expect(await page.locator(".turn .grade").count()).toBe(4);

      // The README's screenshots: the phone as the fourth answer arrives, the desktop from the top.
      if (size === DESKTOP) await page.evaluate("window.scrollTo(0, 0)");
      await screenshot(page, `screenshot-${size.name}.png`);

      // An empty question: the message appears next to the input, inside the viewport.
      await page.getByLabel("你的问题").fill("");
      await page.keyboard.press("Enter");
      const error = page.locator("#chat-error");
      await error.waitFor();
      expect(await error.textContent()).toContain("请先输入问题");
      const box = (await error.boundingBox())!;
      expect(box.y).toBeGreaterThanOrEqual(0);
      expect(box.y + box.height).toBeLessThanOrEqual(size.height);

      // No English in the page's own words for Chinese questions.
      expect(await chromeText(page)).not.toMatch(/[A-Za-z]{2,}/);

      // A 👎 on the second answer is stored with the Telegram votes.
      const before = store.exportFeedback().length;
      await page.locator(".turn").nth(1).getByRole("button", { name: "没帮助" }).click();
      await expect.poll(() => store.exportFeedback().length).toBe(before + 1);
      const vote = store.exportFeedback().at(-1)!;
      expect(vote).toMatchObject({ vote: "down", channel: "web", question: QUESTIONS[0] });
      await expect.poll(() => page.locator(".turn").nth(1).getByRole("button", { name: "没帮助" }).getAttribute("aria-pressed")).toBe("true");

      // The conversation, and the vote, survive a reload.
      await page.reload();
      await page.locator(".turn .answer-text").nth(3).waitFor();
      expect(await page.locator(".turn").count()).toBe(4);
      expect(await page.locator(".turn .question").nth(1).textContent()).toBe(QUESTIONS[0]);
      expect(await page.locator(".turn").nth(1).getByRole("button", { name: "没帮助" }).getAttribute("aria-pressed")).toBe("true");
      expect(await page.locator("#chat-hint").isVisible()).toBe(false);

      // 新对话 clears it and shows the examples again.
      await page.getByRole("button", { name: "新对话" }).click();
      expect(await page.locator(".turn").count()).toBe(0);
      expect(await page.locator("#examples button").first().isVisible()).toBe(true);

      expect(problems).toEqual([]);
      await context.close();
    }, 60_000);
  }

  it.skipIf(!hasChromium)("dark mode follows prefers-color-scheme", async () => {
    const background = async (scheme: "light" | "dark") => {
      const { page, context } = await open(DESKTOP, scheme);
      const rgb = await page.evaluate<string>("getComputedStyle(document.body).backgroundColor");
      await context.close();
      const [r, g, b] = rgb.match(/\d+/g)!.map(Number);
      return (r! + g! + b!) / 3;
    };
    expect(await background("light")).toBeGreaterThan(200);
    expect(await background("dark")).toBeLessThan(60);
  });

  it.skipIf(!hasChromium)("opens a shared link to a unit and to a question", async () => {
    const unitLink = `${url}#unit=${encodeURIComponent("zhejiang-2026-qianwan-plan")}/${encodeURIComponent("task:5")}`;
    const first = await open(DESKTOP, "light", unitLink);
    await expect.poll(() => first.page.locator("#unit-text").textContent()).toContain("78万亩");
    expect(first.problems).toEqual([]);
    await first.context.close();

    const second = await open(DESKTOP, "light", `${url}#q=${encodeURIComponent(QUESTIONS[0]!)}`);
    await second.page.locator(".turn .answer-text").first().waitFor();
    expect(await second.page.locator(".turn .answer-text").first().textContent()).toContain("78万亩");
    // The link is consumed, so a reload does not ask again.
    expect(new URL(second.page.url()).hash).toBe("");
    expect(second.problems).toEqual([]);
    await second.context.close();
  });

  it.skipIf(!hasChromium)("browses the table of contents and plays a quiz round to its leaderboard", async () => {
    const { page, problems, context } = await open(DESKTOP);
    await page.getByRole("tab", { name: "目录" }).click();
    const entry = page.locator(".toc-entry", { hasText: "第5项" }).first();
    await entry.click();
    await expect.poll(() => page.locator("#unit-text").textContent()).toContain("78万亩");
    await page.keyboard.press("Escape");

    await page.getByRole("tab", { name: "测验" }).click();
    await page.getByLabel("昵称（排行榜上显示）").fill("小王");
    await page.getByLabel("主题（可不填）").fill("第5项");
    await page.getByRole("button", { name: /开始一轮/ }).click();
    // The round says how many targets its topic has.
    await expect.poll(() => page.locator("#quiz-progress").textContent()).toMatch(/主题“第5项”(?:有|只有)\d+个目标/);
    let typoTried = false;
    for (let i = 1; i <= 5; i++) {
      await expect.poll(() => page.locator("#quiz-progress").textContent()).toMatch(new RegExp(`^第 ${i} / 5 题`));
      const options = page.locator("#quiz-options button");
      if (!(await options.count()) && !typoTried) {
        // A typo in a fill answer is sent back with a hint, not graded wrong.
        typoTried = true;
        await page.getByLabel("你的答案").fill("w");
        await page.keyboard.press("Enter");
        await expect.poll(() => page.locator("#quiz-error").textContent()).toContain("请输入一个带数字的答案");
        expect(await page.locator("#quiz-result").textContent()).toBe("");
      }
      if (await options.count()) {
        const first = (await options.first().textContent())!;
        if (!["对", "错"].includes(first)) expect(first).toMatch(/^A\. /); // options carry the letters the verdict names
        await options.first().click();
      } else {
        await page.getByLabel("你的答案").fill("1");
        await page.keyboard.press("Enter");
      }
      await page.locator("#quiz-again").click();
    }
    const board = page.locator("#quiz-board");
    await board.waitFor();
    expect(await board.textContent()).toMatch(/本轮成绩：答对 \d \/ 5 题/);
    expect(await board.locator("tr.me").textContent()).toContain("小王");
    // The typo's 422 shows in the console as a failed resource; nothing else may.
    expect(problems.filter((p) => !/422/.test(p))).toEqual([]);
    await context.close();
  }, 60_000);

  it.skipIf(!hasChromium)("with two plans loaded, a picker chooses the plan the table of contents, targets and questions use", async () => {
    const seeds = mkdtempSync(join(tmpdir(), "policybot-two-plans-"));
    for (const f of ["qingjie-xiangcun.txt", "shuzi-jineng.txt"]) copyFileSync(repoPath(`test/fixtures/plans/govcn/${f}`), join(seeds, f));
    const logger = createLogger({ level: "silent", format: "json" });
    const config = loadConfig({ SEEDS_DIR: seeds, INDEX_DIR: mkdtempSync(join(tmpdir(), "policybot-two-index-")), PORT: "0", API_RATE_LIMIT: "10000" });
    const kb = await openKnowledgeBase({ config, logger, persist: false });
    expect(kb.docs).toHaveLength(2);
    const engine = createAnswerEngine({ kb, config, logger });
    const two = createWebServer({ config, logger, kb, engine });
    const base = (await two.listen()).url;
    try {
      const { page, problems, context } = await open(DESKTOP, "light", base);
      const picker = page.getByLabel("规划文件");
      await picker.waitFor();
      await expect.poll(() => picker.locator("option").count()).toBe(3);
      expect(await picker.locator("option").count()).toBe(3); // 全部规划 and the two plans
      const second = kb.docs.find((d) => d.meta.title.includes("数字技能"))!;
      await picker.selectOption(second.id);
      expect(await page.locator("#doc-title").textContent()).toContain("数字技能");

      await page.getByRole("tab", { name: "目录" }).click();
      await expect.poll(() => page.locator(".toc-doc h2").allTextContents()).toEqual([second.meta.title]);
      await page.getByRole("tab", { name: "目标清单" }).click();
      const mine = engine.targets.filter((t) => t.doc === second.id).length;
      expect(mine).toBeGreaterThan(0);
      expect(mine).toBeLessThan(engine.targets.length);
      await expect.poll(() => page.locator("#targets-status").textContent()).toBe(`共 ${mine} 项目标`);

      // A question asked with a plan chosen is answered from that plan only.
      await page.getByRole("tab", { name: "问答" }).click();
      await page.getByLabel("你的问题").fill("培训目标是多少？");
      await page.keyboard.press("Enter");
      await page.locator(".turn .answer:not([aria-busy]) .answer-text").first().waitFor();
      // The kept conversation holds the answer JSON as the server sent it.
      const cited = await page.evaluate<string[]>(`JSON.parse(localStorage.getItem("policybot.chat")).turns.flatMap((t) => t.result.citations.map((c) => c.doc))`);
      expect(cited.length).toBeGreaterThan(0);
      expect(new Set(cited)).toEqual(new Set([second.id]));

      // The choice, and that plan's conversation, are kept across a reload.
      await page.reload();
      await expect.poll(() => page.getByLabel("规划文件").inputValue()).toBe(second.id);
      await page.locator(".turn .answer-text").first().waitFor();
      expect(problems).toEqual([]);
      await context.close();
    } finally {
      await two.close();
      rmSync(seeds, { recursive: true, force: true });
    }
  }, 60_000);
});
