// Calls to the studio's API. The session is an HttpOnly cookie the browser
// sends by itself; X-Requested-With tells the server the call comes from this
// page (a form of another site cannot set it).
let onLoggedOut = () => {};
export function whenLoggedOut(f) { onLoggedOut = f; }

// `retry`: sent once more if the connection failed before an answer (a
// keep-alive connection the server closed as the request went out). Only for
// calls that change nothing: a check, a lookup, a comparison.
export async function call(method, path, body, { retry = false } = {}) {
  const init = { method, credentials: "same-origin", headers: { "X-Requested-With": "shiki-studio" } };
  if (body !== undefined) {
    init.headers["Content-Type"] = "application/json";
    init.body = JSON.stringify(body);
  }
  let res;
  try {
    res = await fetch(path, init);
  } catch (e) {
    if (!retry) throw e;
    res = await fetch(path, init);
  }
  const data = await res.json().catch(() => ({}));
  if (res.status === 401) onLoggedOut();
  return { status: res.status, ok: res.ok, data };
}

// The login presents the bearer token once, as the API takes it; the
// answer sets the session cookie. The token is not kept.
export async function login(token) {
  const res = await fetch("api/login", {
    method: "POST",
    credentials: "same-origin",
    headers: { Authorization: "Bearer " + token, "X-Requested-With": "shiki-studio" },
  });
  return res.status;
}
