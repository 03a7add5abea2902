// The rate solver as a form: the revenue each part must raise and, if
// wanted, the split of 所得割 against 均等割・平等割 (as `shiki solve
// --ratio`). The server finds the figures over the population and answers
// them with the revenue they raise; nothing is written to the ruleset, so
// staff put the figures in the editor themselves after reading them.
import { call } from "./api.js";
import { el, yen, count, signedYen, deltaClass } from "./format.js";

const parts = [["medical", "医療分"], ["support", "支援金分"], ["care", "介護分"], ["child", "子ども分"]];

function figuresTable(parameters) {
  return el("table", { class: "grid", id: "solver-figures" },
    el("thead", {}, el("tr", {}, el("th", {}, "料率"), el("th", {}, "現在"), el("th", {}, "求めた値"))),
    el("tbody", {}, parameters.map((p) => el("tr", {}, el("th", {}, p.name),
      el("td", { class: "num" }, p.before), el("td", { class: "num" }, p.value)))));
}

// Per part: the target, today's revenue, the revenue of the figures found
// (published: rounded to 0.01% and 100 yen) and its gap to the target.
function revenueTable(byPart) {
  return el("table", { class: "grid", id: "solver-revenue" },
    el("thead", {}, el("tr", {}, el("th", {}, "区分"), el("th", {}, "目標額"), el("th", {}, "現在の収入"),
      el("th", {}, "求めた料率での収入"), el("th", {}, "目標との差"))),
    el("tbody", {}, Object.entries(byPart).map(([key, r]) => el("tr", { "data-part": key },
      el("th", {}, r.label), el("td", { class: "num" }, yen(r.target)), el("td", { class: "num" }, yen(r.today)),
      el("td", { class: "num revenue" }, yen(r.revenue)), el("td", { class: deltaClass(r.gap) + " gap" }, signedYen(r.gap))))));
}

function answer(result) {
  return el("div", { id: "solver-answer" },
    el("h4", {}, "求めた料率"), figuresTable(result.parameters || []),
    el("h4", {}, "保険料収入（年額）"), revenueTable(result.parts || {}),
    el("p", { class: "note" }, `${count(result.households)}世帯で試算（評価 ${result.evaluations}回）。料率は公表の刻み（0.01%、100円）に丸めてあり、目標との差はその丸めの分です。`),
    el("p", { class: "note" }, "ルールセットのファイルは書き換えていません。採用するときはエディタで該当の値を書き換え、比較してから保存してください。"));
}

export function setupSolver(editor, available, revenue) {
  const rows = document.getElementById("solver-rows");
  rows.replaceChildren(...parts.map(([key, label]) => el("tr", {},
    el("th", {}, label),
    el("td", { class: "num", id: `solver-today-${key}` }, yen(revenue[key])),
    el("td", {}, el("input", { type: "text", inputmode: "numeric", name: `target-${key}`, placeholder: "例: 4,200,000,000" })),
    el("td", {}, el("input", { type: "text", name: `ratio-${key}`, placeholder: "例: 50:50", size: 12 })))));
  const out = document.getElementById("solver-result");
  const note = document.getElementById("solver-unavailable");
  const button = document.getElementById("solver-run");
  if (!available) {
    note.hidden = false;
    note.textContent = "この版には料率ソルバーが組み込まれていません。フォームは入力できますが、計算はできません。";
    button.disabled = true;
  }
  document.getElementById("solver-form").addEventListener("submit", async (e) => {
    e.preventDefault();
    const targets = [];
    for (const [key] of parts) {
      const raw = document.querySelector(`[name=target-${key}]`).value.replace(/[,，円\s]/g, "");
      if (!raw) continue;
      if (!/^\d+$/.test(raw)) return out.replaceChildren(el("p", { class: "error" }, "目標額は円単位の整数で入れてください"));
      const ratio = document.querySelector(`[name=ratio-${key}]`).value.trim().replace("：", ":");
      if (ratio && !/^\d+(\.\d+)?:\d+(\.\d+)?$/.test(ratio))
        return out.replaceChildren(el("p", { class: "error" }, "比は 50:50 のように書いてください"));
      targets.push({ part: key, revenue: Number(raw), ratio });
    }
    if (!targets.length) return out.replaceChildren(el("p", { class: "error" }, "目標額を一つ以上入れてください"));
    button.disabled = true;
    out.replaceChildren(el("p", { class: "note" }, "計算中…（被保険者全体を何度か試算します）"));
    const { data } = await call("POST", "api/solve", { files: editor.files(), targets })
      .catch(() => ({ data: { available: true, ok: false, message: "サーバーにつながりません" } }));
    button.disabled = false;
    if (data.available === false) return out.replaceChildren(el("p", { class: "warning" }, data.message));
    if (data.check) return out.replaceChildren(el("p", { class: "error", id: "solver-error" }, "編集中のルールセットがコンパイルできないため、料率を求められません"));
    if (!data.ok) return out.replaceChildren(el("p", { class: "error", id: "solver-error" }, data.message || "求められませんでした"));
    out.replaceChildren(answer(data.result));
  });
}
