// The rate solver as a form: the revenue each part must raise and, if
// wanted, the split of 所得割 against 均等割・平等割 (as `shiki solve
// --ratio`). The server answers; this build may have no solver, and then
// says so.
import { call } from "./api.js";
import { el } from "./format.js";

const parts = [["medical", "医療分"], ["support", "支援金分"], ["care", "介護分"], ["child", "子ども分"]];

export function setupSolver(editor, available, message) {
  const rows = document.getElementById("solver-rows");
  rows.replaceChildren(...parts.map(([key, label]) => el("tr", {},
    el("th", {}, label),
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
    const { data } = await call("POST", "api/solve", { files: editor.files(), targets })
      .catch(() => ({ data: { available: true, ok: false, message: "サーバーにつながりません" } }));
    if (!data.available) return out.replaceChildren(el("p", { class: "warning" }, data.message || message));
    if (!data.ok) return out.replaceChildren(el("p", { class: "error" }, data.message || "求められませんでした"));
    out.replaceChildren(el("table", { class: "grid" },
      el("thead", {}, el("tr", {}, el("th", {}, "料率"), el("th", {}, "現在"), el("th", {}, "求めた値"))),
      el("tbody", {}, (data.result.parameters || []).map((p) => el("tr", {}, el("th", {}, p.name), el("td", { class: "num" }, p.before), el("td", { class: "num" }, p.value))))));
  });
}
