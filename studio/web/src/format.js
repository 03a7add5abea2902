// Display only: every figure arrives computed by the server, in whole yen.
const yenFormat = new Intl.NumberFormat("ja-JP");
export const yen = (v) => (v === null || v === undefined ? "—" : yenFormat.format(v) + "円");
export const count = (v) => yenFormat.format(v);
export const signedYen = (v) => (v > 0 ? "+" : "") + yen(v);

// Shorthand for building elements: el("td", {class: "num"}, "1,000円").
export function el(tag, attrs = {}, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === "class") e.className = v;
    else if (k.startsWith("on")) e.addEventListener(k.slice(2), v);
    else e.setAttribute(k, v);
  }
  for (const c of children.flat()) if (c !== null && c !== undefined) e.append(c instanceof Node ? c : String(c));
  return e;
}

export function deltaClass(v) { return v > 0 ? "num up" : v < 0 ? "num down" : "num"; }
