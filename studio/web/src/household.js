// The household panel: pick a household of the population by its 世帯番号
// and see its premium under the saved ruleset and the draft, part by part,
// with the explanation a counter clerk reads.
import { call } from "./api.js";
import { el, yen, signedYen, deltaClass } from "./format.js";

const parts = [["medical", "医療分"], ["support", "支援金分"], ["care", "介護分"], ["child", "子ども分"]];
const columns = [["income_levy", "所得割"], ["per_capita", "均等割"], ["per_household", "平等割"],
                 ["reduction", "軽減"], ["over_cap", "限度超過"], ["annual", "年額"]];

function reductionLabel(r) {
  if (!r || r === "0") return "法定軽減なし";
  const m = /^0\.(\d)$/.exec(r);  // "0.7" → 7割, as the notice says it
  return m ? `法定軽減 ${m[1]}割` : `法定軽減 ${r}`;
}

function premiumTable(saved, draft) {
  const head = el("tr", {}, el("th", {}, "区分"), columns.map(([, l]) => el("th", {}, l)), el("th", {}, "保存版の年額"), el("th", {}, "差額"));
  const rows = parts.map(([key, label]) => {
    const d = draft.premium[key] || {}, s = saved.premium[key] || {};
    return el("tr", {}, el("th", {}, label), columns.map(([c]) => el("td", { class: "num" }, yen(d[c]))),
      el("td", { class: "num" }, yen(s.annual)), el("td", { class: deltaClass(d.annual - s.annual) }, signedYen(d.annual - s.annual)));
  });
  const total = el("tr", { class: "total" }, el("th", {}, "合計"), columns.map(([c]) => el("td", { class: "num" }, c === "annual" ? yen(draft.premium.annual) : "")),
    el("td", { class: "num" }, yen(saved.premium.annual)),
    el("td", { class: deltaClass(draft.premium.annual - saved.premium.annual) }, signedYen(draft.premium.annual - saved.premium.annual)));
  return el("table", { class: "grid", id: "household-premium" }, el("thead", {}, head), el("tbody", {}, rows, total));
}

export function setupHousehold(editor) {
  const form = document.getElementById("household-form");
  const input = document.getElementById("household-q");
  const ids = document.getElementById("household-ids");
  const out = document.getElementById("household-result");
  let timer = null;
  input.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(async () => {
      const { ok, data } = await call("GET", "api/households?q=" + encodeURIComponent(input.value.trim()), undefined, { retry: true }).catch(() => ({ ok: false }));
      if (ok) ids.replaceChildren(...data.households.map((h) => el("option", { value: h })));
    }, 250);
  });
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    const id = input.value.trim();
    if (!id) return;
    out.replaceChildren(el("p", { class: "note" }, "計算しています…"));
    const { ok, data } = await call("POST", "api/household", { household_id: id, files: editor.files() }, { retry: true })
      .catch(() => ({ ok: false, data: {} }));
    if (!ok) return out.replaceChildren(el("p", { class: "error" }, data.error ? data.error.message : "表示できませんでした"));
    const shown = data.draft || data.saved;
    const parts = [el("h3", {}, `世帯 ${data.household_id}`)];
    if (!data.draft_compiles) parts.push(el("p", { class: "warning" }, "編集中の規則集が翻訳できないため、保存版で計算しています"));
    if (!shown.ok) {
      parts.push(el("p", { class: "error" }, `計算できません: ${shown.error.field || ""} ${shown.error.message || ""}`));
    } else {
      const saved = data.saved.ok ? data.saved : shown;
      parts.push(el("p", { class: "lead" }, "保険料（年額） ", el("strong", { id: "household-annual" }, yen(shown.premium.annual)),
        "　", reductionLabel(shown.premium.statutory_reduction)));
      parts.push(premiumTable(saved, shown));
    }
    parts.push(el("h4", {}, "説明"), el("pre", { class: "summary", id: "household-summary" }, data.summary || ""));
    out.replaceChildren(...parts);
  });
}
