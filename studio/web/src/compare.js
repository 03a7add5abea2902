// The comparison panel: the draft against the saved ruleset over the whole
// population. Revenue by part, the distribution of the change per household
// and the average premium by income band before and after, drawn with
// Chart.js from figures the server computed.
import { Chart, BarController, BarElement, CategoryScale, LinearScale, Tooltip, Legend } from "chart.js";
import { call } from "./api.js";
import { el, yen, count, signedYen, deltaClass } from "./format.js";

Chart.register(BarController, BarElement, CategoryScale, LinearScale, Tooltip, Legend);
Chart.defaults.font.family = '"Noto Sans CJK JP", "Hiragino Sans", "Yu Gothic", sans-serif';
Chart.defaults.animation = false;  // drawn at once: staff compare again and again

const charts = {};
function draw(id, config) {
  if (charts[id]) charts[id].destroy();
  charts[id] = new Chart(document.getElementById(id), config);
}

const number = new Intl.NumberFormat("ja-JP");
const yenTick = (v) => number.format(v) + "円";
const signed = (v) => (v > 0 ? "+" : "") + number.format(v);
const binLabel = (b) => (b.from === b.to ? signed(b.from) : `${signed(b.from)}〜${signed(b.to)}`);

function revenueTable(revenue) {
  return el("table", { class: "grid", id: "revenue" },
    el("thead", {}, el("tr", {}, el("th", {}, "区分"), el("th", {}, "保存版"), el("th", {}, "編集中"), el("th", {}, "差額"))),
    el("tbody", {}, revenue.map((r) => el("tr", { class: r.part === "total" ? "total" : "" },
      el("th", {}, r.label), el("td", { class: "num" }, yen(r.base)), el("td", { class: "num" }, yen(r.new)),
      el("td", { class: deltaClass(r.delta) }, signedYen(r.delta))))));
}

function groupTable(title, rows) {
  return el("table", { class: "grid" },
    el("thead", {}, el("tr", {}, el("th", {}, title), el("th", {}, "世帯数"), el("th", {}, "平均（保存版）"), el("th", {}, "平均（編集中）"), el("th", {}, "差額の計"))),
    el("tbody", {}, rows.map((r) => el("tr", {}, el("th", {}, r.label), el("td", { class: "num" }, count(r.households)),
      el("td", { class: "num" }, yen(r.base_average)), el("td", { class: "num" }, yen(r.new_average)),
      el("td", { class: deltaClass(r.delta) }, signedYen(r.delta))))));
}

function changeList(title, rows, openHousehold) {
  return el("div", { class: "changes" }, el("h4", {}, title),
    rows.length ? el("ul", {}, rows.map((r) => el("li", {},
      el("a", { href: "#", onclick: (e) => { e.preventDefault(); openHousehold(r.household_id); } }, r.household_id),
      ` ${yen(r.base)} → ${yen(r.new)} `, el("span", { class: deltaClass(r.delta) }, `(${signedYen(r.delta)})`))))
      : el("p", { class: "note" }, "ありません"));
}

function drawCharts(data) {
  document.getElementById("compare-charts").hidden = false;
  draw("chart-distribution", {
    type: "bar",
    data: { labels: data.distribution.map(binLabel),
            datasets: [{ label: "世帯数", data: data.distribution.map((b) => b.households), backgroundColor: "#3b6ea5" }] },
    options: { maintainAspectRatio: false, plugins: { legend: { display: false } },
               scales: { x: { title: { display: true, text: "変化額（円、編集中 − 保存版）" } }, y: { title: { display: true, text: "世帯数" }, beginAtZero: true } } },
  });
  const bands = data.bands.filter((b) => b.households > 0);
  draw("chart-bands", {
    type: "bar",
    data: { labels: bands.map((b) => b.label),
            datasets: [{ label: "保存版", data: bands.map((b) => b.base_average), backgroundColor: "#9aa5b1" },
                       { label: "編集中", data: bands.map((b) => b.new_average), backgroundColor: "#d9822b" }] },
    options: { maintainAspectRatio: false, scales: { x: { title: { display: true, text: "所得階層（申告所得の合計）" } }, y: { ticks: { callback: yenTick }, beginAtZero: true } } },
  });
}

export function setupCompare(editor, openHousehold) {
  const button = document.getElementById("compare-run");
  const note = document.getElementById("compare-note");
  const result = document.getElementById("compare-result");
  const detail = document.getElementById("compare-detail");
  button.addEventListener("click", async () => {
    button.disabled = true;
    note.textContent = "全世帯を計算しています…";
    const { status, data } = await call("POST", "api/compare", { files: editor.files() }, { retry: true })
      .catch(() => ({ status: 0, data: {} }));
    button.disabled = false;
    if (status === 422) { note.textContent = "編集中の規則集が翻訳できません。エラーを直してください"; return; }
    if (status !== 200) { note.textContent = data.error ? data.error.message : "比較できませんでした"; return; }
    note.textContent = `令和${data.fiscal_year - 2018}年度（${data.fiscal_year}年度）・${count(data.households)}世帯・${(data.elapsed_ms / 1000).toFixed(1)}秒`;
    result.replaceChildren(
      el("div", { class: "cards" },
        el("div", { class: "card-figure" }, el("span", {}, "比較した世帯"), el("strong", {}, count(data.households))),
        el("div", { class: "card-figure" }, el("span", {}, "保険料が変わる世帯"), el("strong", { id: "compare-changed" }, count(data.changed))),
        el("div", { class: "card-figure" }, el("span", {}, "計算できない世帯"), el("strong", {}, count(data.failed)))),
      el("h4", {}, "保険料収入（年額）"), revenueTable(data.revenue));
    drawCharts(data);
    detail.replaceChildren(
      el("h4", {}, "所得階層別"), groupTable("所得階層", data.bands),
      el("h4", {}, "法定軽減別"), groupTable("法定軽減", data.classes),
      el("div", { class: "change-lists" },
        changeList("増える世帯（上位5）", data.largest_increases, openHousehold),
        changeList("減る世帯（上位5）", data.largest_decreases, openHousehold)));
  });
}
