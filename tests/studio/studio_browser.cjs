// The studio as staff use it, in Debian's chromium: log in, type a mistake
// and see the diagnostic at its line, fix it, change a rate and compare over
// the population (charts drawn), look up a household, try to save the rate
// change (refused: golden cases move), save a comment (accepted), solve
// 医療分's rates for today's revenue + 3%. A screenshot of each step goes to $SCREENSHOTS.
// Environment: STUDIO_URL, STUDIO_TOKEN, SCREENSHOTS, RULESET_DIR, CHROMIUM.
const assert = require("node:assert/strict");
const fs = require("node:fs");
const path = require("node:path");
const { chromium } = require("playwright-core");

const url = process.env.STUDIO_URL;
const token = process.env.STUDIO_TOKEN;
const shots = process.env.SCREENSHOTS;
const rulesetDir = process.env.RULESET_DIR;
const kTimeoutMs = 120_000;  // generous: CI shares two cores with other jobs

let step = 0;
async function shot(page, name) {
  step += 1;
  const file = path.join(shots, `${String(step).padStart(2, "0")}-${name}.png`);
  await page.screenshot({ path: file });
  console.log(`step ${step}: ${name} (${file})`);
}

// 1-based line and 0-based column of `needle` in a file of the ruleset.
function find(file, needle) {
  const lines = fs.readFileSync(path.join(rulesetDir, file), "utf8").split("\n");
  const i = lines.findIndex((l) => l.includes(needle));
  assert.ok(i >= 0, `${needle} not in ${file}`);
  return { line: i + 1, column: lines[i].indexOf(needle) };
}

// Every file of the ruleset folder, name → text.
function rulesetFiles() {
  const names = fs.readdirSync(rulesetDir).filter((f) => fs.statSync(path.join(rulesetDir, f)).isFile()).sort();
  return Object.fromEntries(names.map((f) => [f, fs.readFileSync(path.join(rulesetDir, f), "utf8")]));
}

// Puts the cursor at (line, column) as staff do in a long file: the editor's
// 行へ移動 (Ctrl+Alt+G) with "line:column".
async function cursorTo(page, line, column) {
  await page.click(".cm-content");
  await page.keyboard.press("Control+Alt+g");
  const field = page.locator(".cm-goto-line input[name=line]");
  await field.fill(`${line}:${column}`);
  await field.press("Enter");
  await page.waitForSelector(".cm-goto-line", { state: "detached" });
  await page.waitForFunction(() => document.activeElement && document.activeElement.classList.contains("cm-content"));
}

async function select(page, characters) {
  for (let i = 0; i < characters; i++) await page.keyboard.press("Shift+ArrowRight");
}

async function checkSettled(page) {
  // The check runs a moment after typing stops; its answer replaces the status.
  await page.waitForFunction(() => document.querySelector("#check-status").textContent !== "", null, { timeout: kTimeoutMs });
  await page.waitForTimeout(1200);
}

async function painted(page, id) {
  return page.evaluate((canvasId) => {
    const c = document.getElementById(canvasId);
    const data = c.getContext("2d").getImageData(0, 0, c.width, c.height).data;
    let n = 0;
    for (let i = 3; i < data.length; i += 4) if (data[i] !== 0) n++;
    return n;
  }, id);
}

async function main() {
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM || "/usr/bin/chromium", args: ["--no-sandbox"] });
  const problems = [];
  try {
    const page = await browser.newPage({ viewport: { width: 1680, height: 1050 }, locale: "ja-JP" });
    page.setDefaultTimeout(kTimeoutMs);
    page.on("pageerror", (e) => problems.push(`page error: ${e.message}`));

    // Log in: a wrong token is refused, the right one opens the studio.
    await page.goto(url);
    await page.waitForSelector("#login-form");
    await page.fill("#token", "not-a-token");
    await page.click("#login-form button[type=submit]");
    await page.waitForFunction(() => document.querySelector("#login-error").textContent.length > 0);
    await shot(page, "login-refused");
    await page.fill("#token", token);
    await page.click("#login-form button[type=submit]");
    await page.waitForSelector(".cm-content");
    await page.waitForSelector("#check-status.ok", { timeout: kTimeoutMs });
    await shot(page, "editor");

    // A mistake staff make: a rate without its %. The diagnostic sits on that line.
    await page.click('#file-tabs [data-file="unconfirmed.shiki"]');
    const rate = find("unconfirmed.shiki", "7.62% from 2026-04-01");
    await cursorTo(page, rate.line, rate.column + "7.62".length);
    await page.keyboard.press("Delete");
    await page.waitForSelector(`#diagnostics li.error[data-line="${rate.line}"]`, { timeout: kTimeoutMs });
    await page.waitForSelector(".cm-lintRange-error");
    const markedLine = await page.evaluate(() => {
      const mark = document.querySelector(".cm-lintRange-error").closest(".cm-line");
      const number = [...document.querySelectorAll(".cm-gutter.cm-lineNumbers .cm-gutterElement")]
        .find((g) => Math.abs(g.getBoundingClientRect().top - mark.getBoundingClientRect().top) < 2);
      return Number(number.textContent);
    });
    assert.equal(markedLine, rate.line, "the diagnostic is marked on the line of the mistake");
    assert.match(await page.textContent("#check-status"), /エラー 1件/);
    await page.hover(".cm-lintRange-error");
    await page.waitForSelector(".cm-tooltip-lint");
    await shot(page, "diagnostic-at-line");

    // Fixed: the diagnostic goes.
    await page.keyboard.type("%");
    await page.waitForSelector("#check-status.ok", { timeout: kTimeoutMs });
    assert.equal(await page.locator(".cm-lintRange-error").count(), 0);
    await shot(page, "fixed");

    // A reform: FY2026 医療分 均等割 27,000 → 28,000 yen; compared over the population.
    const levy = find("unconfirmed.shiki", "27_000円 from 2026-04-01");
    await cursorTo(page, levy.line, levy.column);
    await select(page, 2);
    await page.keyboard.type("28");
    await page.waitForSelector("#check-status.ok", { timeout: kTimeoutMs });
    await page.click('.side-pane .tab[data-panel="compare"]');
    await page.click("#compare-run");
    await page.waitForSelector("#compare-charts:not([hidden])", { timeout: kTimeoutMs });
    assert.notEqual((await page.textContent("#compare-changed")).trim(), "0", "the reform changes some households");
    for (const id of ["chart-distribution", "chart-bands"])
      assert.ok((await painted(page, id)) > 2000, `chart ${id} is drawn`);
    await shot(page, "comparison");

    // One household: its premium under both, and the explanation.
    await page.click('.side-pane .tab[data-panel="household"]');
    await page.fill("#household-q", "H0000003");
    await page.click("#household-form button[type=submit]");
    await page.waitForSelector("#household-premium");
    assert.match(await page.textContent("#household-annual"), /^[\d,]+円$/);
    assert.ok((await page.textContent("#household-summary")).length > 50, "the explanation is shown");
    await shot(page, "household");

    // Saving the rate change is refused: golden cases move, and the file is untouched.
    const before = fs.readFileSync(path.join(rulesetDir, "unconfirmed.shiki"), "utf8");
    await page.click("#save");
    await page.waitForSelector(".save-result.refused", { timeout: kTimeoutMs });
    assert.ok((await page.locator("#moved-cases > li").count()) > 0, "the moved cases are listed");
    assert.equal(fs.readFileSync(path.join(rulesetDir, "unconfirmed.shiki"), "utf8"), before);
    await shot(page, "save-refused");

    // Back to 27,000 with a comment added: saved.
    await cursorTo(page, levy.line, levy.column);
    await select(page, 2);
    await page.keyboard.type("27");
    await page.keyboard.press("Control+Home");
    await page.keyboard.type("# 令和8年度の均等割は据え置き（スタジオで確認）\n");
    await checkSettled(page);
    await page.click("#save");
    await page.waitForSelector(".save-result.ok", { timeout: kTimeoutMs });
    const after = fs.readFileSync(path.join(rulesetDir, "unconfirmed.shiki"), "utf8");
    assert.ok(after.startsWith("# 令和8年度の均等割は据え置き（スタジオで確認）\n"), "the comment was written");
    assert.equal(after.slice(after.indexOf("\n") + 1), before, "nothing else changed");
    await shot(page, "save-accepted");

    // The rate solver: 医療分 must raise 3% more than today. The answer shows
    // the figures found and the revenue they raise, within the rounding of
    // the published figures; no file of the ruleset is written.
    const filesBefore = rulesetFiles();
    await page.click('.side-pane .tab[data-panel="solver"]');
    assert.equal(await page.isDisabled("#solver-run"), false, "the solver's button is enabled");
    const today = Number((await page.textContent("#solver-today-medical")).replace(/[,円]/g, ""));
    assert.ok(today > 0, "today's 医療分 revenue is shown");
    const target = Math.round(today * 1.03);
    await page.fill('[name="target-medical"]', target.toLocaleString("en-US"));
    await page.click("#solver-run");
    await page.waitForSelector("#solver-answer, #solver-error", { timeout: kTimeoutMs });
    assert.equal(await page.locator("#solver-error").count(), 0, "the solver answers");
    const figures = await page.$$eval("#solver-figures tbody tr", (rows) => rows.map((r) => [...r.children].map((c) => c.textContent)));
    const incomeRate = figures.find(([name]) => name === "医療分.所得割率");
    assert.ok(incomeRate && /^\d+(\.\d+)?%$/.test(incomeRate[2]) && incomeRate[2] !== incomeRate[1], `the 所得割率 is raised: ${JSON.stringify(figures)}`);
    const perCapita = figures.find(([name]) => name === "医療分.被保険者均等割額");
    assert.ok(perCapita && /^[\d_]+円$/.test(perCapita[2]), "the 均等割額 is shown as the ruleset writes it");
    const row = "#solver-revenue tr[data-part=medical]";
    const revenue = Number((await page.textContent(`${row} .revenue`)).replace(/[,円]/g, ""));
    const gap = Number((await page.textContent(`${row} .gap`)).replace(/[,円+]/g, ""));
    assert.equal(revenue - target, gap, "the gap is the revenue less the target");
    assert.ok(Math.abs(gap) < target * 0.005, `the revenue ${revenue} is near the target ${target}`);
    assert.deepEqual(rulesetFiles(), filesBefore, "solving writes no file of the ruleset");
    await shot(page, "solver");
  } finally {
    await browser.close();
  }
  assert.deepEqual(problems, [], "no script errors on the page");
  console.log(`${step} steps passed`);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
