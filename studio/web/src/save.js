// Saving: the server compiles the draft and runs the golden cases first; it
// writes the files only when both pass, and otherwise says which cases moved.
import { call } from "./api.js";
import { el } from "./format.js";

const kShown = 8;  // cases listed; the rest are counted

export function setupSave(editor, state) {
  const button = document.getElementById("save");
  const out = document.getElementById("save-result");
  if (!state.maySave) {
    button.disabled = true;
    button.title = "保存には管理者のトークンが必要です";
  }
  button.addEventListener("click", async () => {
    button.disabled = true;
    out.className = "save-result";
    out.replaceChildren(el("p", { class: "note" }, "翻訳し、ゴールデンケースを実行しています…"));
    const { status, data } = await call("POST", "api/save", { files: editor.files(), from: state.savedDigest })
      .catch(() => ({ status: 0, data: { message: "サーバーにつながりません。もう一度保存してください" } }));
    button.disabled = false;
    if (status === 200 && data.saved) {
      state.savedDigest = data.saved_digest;
      editor.markSaved();
      out.className = "save-result ok";
      return out.replaceChildren(el("p", {}, `${data.message}（${data.written.join("、")}）。ゴールデンケース ${data.cases_run}件はすべて一致しました。`));
    }
    out.className = "save-result refused";
    if (data.reason === "golden_moved") {
      return out.replaceChildren(
        el("p", {}, `${data.message}：${data.moved.length}件 / ${data.cases_run}件`),
        el("ul", { id: "moved-cases" }, data.moved.slice(0, kShown).map((m) => el("li", {}, el("code", {}, m.file),
          m.note ? el("div", { class: "diag-note" }, m.note) : null,
          el("ul", {}, m.fields.map((f) => el("li", {}, `${f.path}: 期待値 ${f.expected} → 計算値 ${f.actual}`)))))),
        data.moved.length > kShown ? el("p", {}, `ほか ${data.moved.length - kShown}件（shiki golden ですべて見られます）`) : null);
    }
    out.replaceChildren(el("p", {}, data.message || (data.error && data.error.message) || "保存できませんでした"));
  });
}
