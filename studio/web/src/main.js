// The studio's page: log in with a token, then the editor on the left and
// the household, comparison and solver panels on the right.
import "./studio.css";
import { call, login, whenLoggedOut } from "./api.js";
import { RulesetEditor, renderDiagnostics } from "./editor.js";
import { setupHousehold } from "./household.js";
import { setupCompare } from "./compare.js";
import { setupSolver } from "./solver.js";
import { setupSave } from "./save.js";
import { el } from "./format.js";

const $ = (id) => document.getElementById(id);

function showLogin(message) {
  $("app").hidden = true;
  $("login").hidden = false;
  $("who").replaceChildren();
  $("login-error").textContent = message || "";
  $("token").focus();
}

$("login-form").addEventListener("submit", async (e) => {
  e.preventDefault();
  const status = await login($("token").value.trim());
  $("token").value = "";
  if (status === 200) return start();
  showLogin(status === 429 ? "失敗が続いたため、しばらく待ってからやり直してください"
    : status === 403 ? "このトークンではこの規則集を使えません" : "トークンが正しくありません");
});

function showPanel(name) {
  for (const t of document.querySelectorAll(".side-pane .tab")) t.classList.toggle("active", t.dataset.panel === name);
  for (const p of ["household", "compare", "solver"]) $("panel-" + p).hidden = p !== name;
}

function renderTabs(editor) {
  $("file-tabs").replaceChildren(...[...editor.states.keys()].map((name) =>
    el("button", { class: "tab" + (name === editor.current ? " active" : ""), "data-file": name, onclick: () => editor.show(name) },
      name, editor.modified(name) ? el("span", { class: "dot", title: "未保存の変更" }, " ●") : null)));
}

function renderStatus(data) {
  const s = $("check-status");
  if (data.compiles) {
    s.className = "status ok";
    s.textContent = data.warnings ? `翻訳できます（警告 ${data.warnings}件）` : "翻訳できます";
  } else {
    s.className = "status bad";
    s.textContent = `エラー ${data.errors}件・警告 ${data.warnings}件`;
  }
}

let started = false;
async function start() {
  const { ok, data } = await call("GET", "api/workspace");
  if (!ok) return showLogin();
  $("login").hidden = true;
  $("app").hidden = false;
  $("title").textContent = `${data.ruleset.id} — 令和${data.fiscal_year - 2018}年度・${data.households.toLocaleString("ja-JP")}世帯`;
  $("who").replaceChildren(el("span", {}, data.holder), el("button", { class: "link", onclick: logout }, "ログアウト"));
  if (started) return;
  started = true;
  const state = { savedDigest: data.saved_digest, maySave: data.may_save };
  const editor = new RulesetEditor($("editor"), {
    onCheck: (check) => { renderStatus(check); renderDiagnostics($("diagnostics"), check, editor); },
    onChange: () => renderTabs(editor),
  });
  editor.load(data.files);
  for (const t of document.querySelectorAll(".side-pane .tab")) t.addEventListener("click", () => showPanel(t.dataset.panel));
  const openHousehold = (id) => { showPanel("household"); $("household-q").value = id; $("household-form").requestSubmit(); };
  setupHousehold(editor);
  setupCompare(editor, openHousehold);
  setupSolver(editor, data.solver_available, data.revenue || {});
  setupSave(editor, state);
}

async function logout() {
  await call("POST", "api/logout");
  location.reload();
}

whenLoggedOut(() => showLogin(started ? "ログインが切れました。もう一度ログインしてください" : ""));
start();
