// The administrators' page of specreg: screen, explain, run the fixture suite, replay an impact.
//
// Safety rule of this file: every value that comes from an application, a fixture
// or an answer is put on the page with textContent (through el() below), never as
// HTML, so a payload value such as <img src=x onerror=...> shows as text and runs
// nothing. The page's own text comes from rules/messages/admin_page.yaml, embedded
// in the page as a JSON data block.
"use strict";

const TEXTS = JSON.parse(document.getElementById("texts").textContent);
const state = { language: document.body.dataset.language, fixtures: [], expectation: null };

function t(key, params) {
  const entry = TEXTS[key];
  let text = entry ? entry[state.language] : key;
  for (const [name, value] of Object.entries(params || {})) {
    text = text.split("{" + name + "}").join(String(value));
  }
  return text;
}

// An element with attributes and children; strings become text nodes, never markup.
function el(tag, attributes, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes || {})) {
    if (name === "class") node.className = value;
    else if (name.startsWith("data-")) node.setAttribute(name, value);
    else node[name] = value;
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

function fill(id, ...children) {
  const node = document.getElementById(id);
  node.replaceChildren(...children.flat().filter((c) => c !== null && c !== undefined)
    .map((c) => (c instanceof Node ? c : document.createTextNode(String(c)))));
  return node;
}

function show(id, visible) {
  document.getElementById(id).hidden = !visible;
}

function setStatus(message) {
  const status = document.getElementById("status");
  status.textContent = message || "";
  status.hidden = !message;
}

// --- talking to the service -------------------------------------------------

// Every call says the page's language (its problem documents come back in it) and, once the
// administrator gave one, carries the admin token.
function headers(extra) {
  const result = Object.assign({ "Accept-Language": state.language }, extra || {});
  const token = sessionStorage.getItem("specreg-token");
  if (token) result.Authorization = "Bearer " + token;
  return result;
}

function hasToken() {
  return Boolean(sessionStorage.getItem("specreg-token"));
}

// A network failure answers status 0, so that every caller treats it as a failure.
async function call(method, url, body, extraHeaders) {
  const init = { method, headers: headers(extraHeaders) };
  if (body !== undefined) {
    init.body = typeof body === "string" ? body : JSON.stringify(body);
    init.headers["Content-Type"] = "application/json";
  }
  let response;
  try {
    response = await fetch(url, init);
  } catch (error) {
    return { status: 0, data: null };
  }
  let data = null;
  try {
    data = await response.json();
  } catch (error) {
    data = null;
  }
  return { status: response.status, data };
}

function problemText(answer) {
  if (answer.status === 0) return t("network_failed");
  const data = answer.data || {};
  return t("request_failed") + " (" + answer.status + "): " + [data.title, data.detail].filter(Boolean).join(". ");
}

// --- the admin token ------------------------------------------------------------

function setTokenState(key, kind) {
  const node = document.getElementById("token-state");
  node.dataset.key = key || "";
  node.className = "token-state " + (kind || "");
  node.textContent = key ? t(key) : "";
}

async function applyToken(event) {
  event.preventDefault();
  const value = document.getElementById("token").value.trim();
  if (value) sessionStorage.setItem("specreg-token", value);
  else sessionStorage.removeItem("specreg-token");
  await loadFixtures();
}

// A 401 or 403 of an admin route: the token given is wrong (never shown before one was given).
function tokenRefused(answer) {
  if (answer.status !== 401 && answer.status !== 403) return false;
  setTokenState("token_rejected", "bad");
  setStatus(problemText(answer));
  return true;
}

// --- the interface language -------------------------------------------------

function applyLanguage(language) {
  state.language = language;
  document.documentElement.lang = language;
  document.body.dataset.language = language;
  for (const node of document.querySelectorAll("[data-text]")) node.textContent = t(node.dataset.text);
  for (const node of document.querySelectorAll("[data-title]")) node.title = t(node.dataset.title);
  document.title = t("title") + ": specreg";
  const outcome = document.getElementById("outcome");
  if (outcome.dataset.outcome && outcome.dataset.outcome !== "invalid") {
    outcome.textContent = outcomeLabel(outcome.dataset.outcome);
  }
  const tokenState = document.getElementById("token-state");
  if (tokenState.dataset.key) tokenState.textContent = t(tokenState.dataset.key);
  for (const option of document.querySelectorAll("#fixture option[value]")) {
    const fixture = state.fixtures[Number(option.value)];
    if (option.value !== "" && fixture) option.title = describe(fixture);
  }
}

function outcomeLabel(outcome) {
  return TEXTS["outcome_" + outcome] ? outcome + " (" + t("outcome_" + outcome) + ")" : outcome;
}

// A ground's code as a person reads it: the code with its name in the page's language.
function groundLabel(code) {
  return TEXTS["ground_" + code] ? code + " (" + t("ground_" + code) + ")" : String(code);
}

// --- tabs -------------------------------------------------------------------

function showView(view) {
  for (const tab of document.querySelectorAll(".tab")) tab.classList.toggle("active", tab.dataset.view === view);
  for (const section of document.querySelectorAll(".view")) section.hidden = section.id !== "view-" + view;
}

// --- rule set versions and fixtures -----------------------------------------

async function loadRulesets() {
  const answer = await call("GET", "/api/v1/rulesets");
  if (answer.status !== 200) return setStatus(problemText(answer));
  for (const select of document.querySelectorAll(".ruleset-choice")) {
    for (const ruleset of answer.data.rulesets) {
      const window = ruleset.effective_from + " – " + (ruleset.effective_until || "…");
      select.append(el("option", { value: ruleset.version }, ruleset.version + " (" + window + ")"));
    }
  }
}

async function loadFixtures() {
  if (!hasToken()) return setTokenState("token_needed", "hint");  // no call, so no 401, before a token
  const answer = await call("GET", "/api/v1/admin/fixtures");
  if (tokenRefused(answer)) return;
  if (answer.status !== 200) return setStatus(problemText(answer));
  setStatus("");
  setTokenState("token_applied", "ok");
  state.fixtures = answer.data.fixtures;
  const select = document.getElementById("fixture");
  const chosen = select.value;
  select.replaceChildren(select.options[0]);
  const groups = new Map();
  state.fixtures.forEach((fixture, index) => {
    if (!groups.has(fixture.file)) groups.set(fixture.file, el("optgroup", { label: fixture.file }));
    groups.get(fixture.file).append(el("option", { value: String(index), title: describe(fixture) }, fixture.name));
  });
  for (const group of groups.values()) select.append(group);
  select.value = chosen;
}

// A case's description in the page's language, when the case gives it as {kk, ru}.
function describe(fixture) {
  const text = fixture.description;
  return text && typeof text === "object" ? text[state.language] || "" : text || "";
}

function pickFixture(index) {
  const fixture = state.fixtures[Number(index)];
  state.expectation = fixture ? fixture.expect : null;
  if (!fixture) return;
  document.getElementById("payload").value = JSON.stringify(fixture.payload, null, 2);
  document.getElementById("as-of").value = /^\d{4}-\d{2}-\d{2}$/.test(fixture.as_of || "") ? fixture.as_of : "";
  const language = (fixture.accept_language || "").slice(0, 2).toLowerCase();
  document.getElementById("answer-language").value = ["kk", "ru", "en"].includes(language) ? language : "";
}

// --- screening --------------------------------------------------------------

// Whatever the last screening showed goes before the next one is asked for, so that a
// failure (bad JSON, a 400, a 409, no network) never leaves another application's answer.
function clearAnswer() {
  show("answer", false);
  const outcome = document.getElementById("outcome");
  delete outcome.dataset.outcome;
  outcome.className = "outcome";
  outcome.textContent = "";
  for (const id of ["decision-due", "ruleset-used", "input-error-list", "reasons", "warnings",
    "payload-view", "absent-list", "explain-rules", "facts"]) fill(id);
  show("input-errors", false);
  show("absent", false);
  const box = document.getElementById("expectation");
  box.hidden = true;
  box.replaceChildren();
}

async function screen(event) {
  event.preventDefault();
  clearAnswer();
  const text = document.getElementById("payload").value;
  let payload;
  try {
    payload = JSON.parse(text);
  } catch (error) {
    return setStatus(t("invalid_json"));
  }
  const query = new URLSearchParams({ explain: "full" });
  const asOf = document.getElementById("as-of").value;
  if (asOf) query.set("as_of", asOf);
  const version = document.getElementById("ruleset").value;
  if (version) query.set("ruleset", version);
  // No choice: the application's own language, as when the portal sends no Accept-Language
  // (the browser would otherwise send its own).
  const chosen = document.getElementById("answer-language").value;
  const declared = payload && ["kk", "ru"].includes(payload.language) ? payload.language : "ru";
  setStatus(t("running"));
  const answer = await call("POST", "/api/v1/screenings?" + query, text, { "Accept-Language": chosen || declared });
  setStatus("");
  if (answer.status === 200) return showDecision(answer.data, payload);
  if (answer.status === 422) return showInputErrors(answer.data, payload);
  setStatus(problemText(answer));
}

function showInputErrors(problemBody, payload) {
  show("answer", true);
  show("input-errors", true);
  const outcome = document.getElementById("outcome");
  outcome.dataset.outcome = "invalid";
  outcome.className = "outcome invalid";
  outcome.textContent = "422";
  fill("decision-due", "—");
  fill("ruleset-used", "—");
  fill("input-error-list", (problemBody.errors || []).map((error) =>
    el("li", {}, el("code", {}, error.pointer), " ", el("span", { class: "code" }, error.code), ": ", error.message)));
  fill("reasons");
  fill("warnings");
  renderPayload(payload, (problemBody.errors || []).map((error) => error.pointer), []);
  fill("explain-rules");
  fill("facts");
  showExpectation({ status: 422, outcome: null, codes: null });
}

function showDecision(decision, payload) {
  show("answer", true);
  show("input-errors", false);
  const outcome = document.getElementById("outcome");
  outcome.dataset.outcome = decision.outcome;
  outcome.className = "outcome " + decision.outcome;
  outcome.textContent = outcomeLabel(decision.outcome);
  fill("decision-due", decision.decision_due);
  fill("ruleset-used", decision.ruleset.id + " " + decision.ruleset.version + " (" + decision.ruleset.effective_from + ")");
  fill("reasons", decision.reasons.length ? decision.reasons.map(reasonItem) : el("li", { class: "none" }, t("no_reasons")));
  fill("warnings", decision.warnings.length
    ? decision.warnings.map((w) => el("li", {}, el("span", { class: "code" }, w.code), ": ", w.message, " ",
      el("code", {}, w.pointers.join(", "))))
    : el("li", { class: "none" }, t("no_warnings")));
  const reasonPointers = decision.reasons.flatMap((reason) => reason.pointers);
  const warningPointers = decision.warnings.flatMap((warning) => warning.pointers);
  renderPayload(payload, reasonPointers, warningPointers);
  renderExplain(decision.explain);
  showExpectation({ status: 200, outcome: decision.outcome, codes: decision.reasons.map((r) => r.code) });
}

function reasonItem(reason) {
  const basis = reason.basis;
  return el("li", { class: "reason " + reason.outcome },
    el("div", { class: "reason-head" }, el("span", { class: "code" }, groundLabel(reason.code)), " → ",
      outcomeLabel(reason.outcome),
      " · ", el("span", { class: "rule" }, (reason.rule_ids || [reason.rule_id]).join(", "))),
    el("div", { class: "message" }, reason.message),
    el("div", { class: "basis" }, t("basis") + ": " + (basis.citation || basis.paragraph) + ". ",
      el("q", {}, basis.text[state.language] || basis.text.ru), quoteMark(basis)),
    el("div", { class: "pointers" }, t("pointers") + ": ", reason.pointers.map((pointer) =>
      el("a", { href: "#", class: "pointer", "data-pointer": pointer, onclick: jumpTo }, pointer))),
    el("div", { class: "evidence" }, t("evidence") + ": ", el("code", {}, JSON.stringify(reason.evidence))));
}

// The Kazakh text of the act is a working translation: say so beside it; note a slip of the source.
function quoteMark(basis) {
  const status = (basis.text_status || {})[state.language];
  const marks = [];
  if (status === "working_translation") marks.push(t("working_translation"));
  for (const slip of basis.slips || []) marks.push(t("source_slip") + ": " + (slip.note[state.language] || slip.note.ru));
  return marks.length ? el("span", { class: "quote-mark" }, " (" + marks.join("; ") + ")") : "";
}

// A pointer link marks the very line of its field (only that one) and scrolls to it.
function jumpTo(event) {
  event.preventDefault();
  const pointer = event.currentTarget.dataset.pointer;
  for (const node of document.querySelectorAll("#payload-view .line.marked, #absent-list .marked")) {
    node.classList.remove("marked");
  }
  const line = [...document.querySelectorAll("#payload-view .line")].find((node) => node.dataset.pointer === pointer);
  const target = line || [...document.querySelectorAll("#absent-list code")].find((node) => node.dataset.pointer === pointer);
  if (!target) return;
  target.classList.add("marked");
  target.scrollIntoView({ block: "center" });
}

function showExpectation(got) {
  const expect = state.expectation;
  const box = document.getElementById("expectation");
  if (!expect) return (box.hidden = true);
  const wantStatus = expect.status || 200;
  let same = got.status === wantStatus;
  if (same && wantStatus === 200) {
    if (expect.outcome && expect.outcome !== got.outcome) same = false;
    if (expect.codes && JSON.stringify(expect.codes) !== JSON.stringify(got.codes)) same = false;
  }
  box.hidden = false;
  box.className = same ? "expect ok" : "expect bad";
  box.replaceChildren(el("span", {}, same ? t("matches_expectation") : t("differs_expectation")), " (",
    t("expected") + ": " + (expect.outcome || wantStatus) + " " + JSON.stringify(expect.codes || []), ")");
}

// The payload as indented JSON, one line a value, each line knowing its JSON Pointer;
// lines inside a pointer a reason names are highlighted.
function renderPayload(payload, reasonPointers, warningPointers) {
  const lines = [];
  jsonLines(payload, "", 0, null, lines, true);
  const present = new Set(lines.map((line) => line.dataset.pointer));
  for (const line of lines) {
    const pointer = line.dataset.pointer;
    const under = (p) => pointer === p || pointer.startsWith(p + "/");
    if (reasonPointers.some(under)) line.classList.add("hit-reason");
    else if (warningPointers.some(under)) line.classList.add("hit-warning");
  }
  fill("payload-view", lines);
  const absent = [...reasonPointers, ...warningPointers].filter((p, i, all) => !present.has(p) && all.indexOf(p) === i);
  show("absent", absent.length > 0);
  fill("absent-list", absent.map((p) => el("code", { "data-pointer": p }, p + " ")));
}

function escapePointer(key) {
  return String(key).split("~").join("~0").split("/").join("~1");
}

function jsonLines(value, pointer, depth, key, lines, last) {
  const indent = "  ".repeat(depth);
  const label = key === null ? "" : JSON.stringify(key) + ": ";
  const comma = last ? "" : ",";
  const line = (text) => el("span", { class: "line", "data-pointer": pointer }, indent + text + "\n");
  if (value !== null && typeof value === "object") {
    const entries = Array.isArray(value) ? value.map((v, i) => [i, v]) : Object.entries(value);
    const [open, close] = Array.isArray(value) ? ["[", "]"] : ["{", "}"];
    if (!entries.length) return lines.push(line(label + open + close + comma));
    lines.push(line(label + open));
    entries.forEach(([k, v], i) => jsonLines(v, pointer + "/" + escapePointer(k), depth + 1,
      Array.isArray(value) ? null : k, lines, i === entries.length - 1));
    lines.push(line(close + comma));
  } else {
    lines.push(line(label + JSON.stringify(value) + comma));
  }
}

function renderExplain(explain) {
  if (!explain) return;
  const facts = explain.facts;
  fill("explain-rules", explain.rules.map((rule) => el("tr", { class: rule.fired ? "fired" : "" },
    el("td", {}, el("code", {}, rule.id)),
    el("td", {}, groundLabel(rule.ground || rule.code)),
    el("td", {}, rule.fired ? t("yes") : t("no")),
    el("td", {}, rule.matched.map((id) => "#" + id + " " + (facts[id] ? facts[id].t : "")).join(", ")))));
  fill("facts", facts.map((fact) => el("li", { value: fact.id }, el("code", {}, JSON.stringify(fact)))));
}

// --- the fixture suite ------------------------------------------------------

// A case's name broken only at its underscores: it wraps between words, never inside one.
function nameNode(name) {
  const parts = String(name).split("_");
  return el("code", { class: "name" }, parts.flatMap((part, i) => (i ? ["_", el("wbr"), part] : [part])));
}

function valueText(key, value) {
  if (key === "outcome" || key === "status") return outcomeLabel(String(value));
  return typeof value === "string" ? value : JSON.stringify(value);
}

function differenceText(d) {
  const params = { field: t("field_" + d.key), expected: valueText(d.key, d.expected), got: valueText(d.key, d.got) };
  return d.code ? t("difference_of", Object.assign(params, { code: d.code })) : t("difference", params);
}

function showFailuresOnly() {
  const only = document.getElementById("suite-failures-only").checked;
  document.getElementById("suite-results").classList.toggle("only-failures", only);
}

async function runSuite(event) {
  event.preventDefault();
  show("suite", false);
  setStatus(t("running"));
  const version = document.getElementById("suite-ruleset").value;
  const answer = await call("POST", "/api/v1/admin/suite", version ? { ruleset: version } : {});
  if (tokenRefused(answer)) return;
  if (answer.status !== 200) return setStatus(problemText(answer));
  setStatus("");
  const data = answer.data;
  show("suite", true);
  const summary = fill("suite-summary", t("suite_summary", { total: data.total, passed: data.passed, failed: data.failed }));
  summary.className = "summary " + (data.failed ? "bad" : "ok");
  const coverage = data.coverage;
  const covered = coverage.rules.filter((rule) => rule.cases > 0).length;
  fill("coverage-summary", t("coverage_summary", { covered, total: coverage.rules.length, percent: coverage.percent }));
  fill("never-fired", coverage.never_fired.join(", ") || t("none"));
  fill("grounds-not-exercised", coverage.grounds_not_exercised.map(groundLabel).join(", ") || t("none"));
  fill("coverage-rules", coverage.rules.map((rule) => el("tr", { class: rule.cases ? "" : "bad" },
    el("td", {}, el("code", {}, rule.rule_id)), el("td", {}, groundLabel(rule.code)), el("td", {}, rule.version),
    el("td", { class: "number" }, rule.cases))));
  fill("suite-results", data.results.map((result) => el("tr", { class: result.passed ? "passed" : "bad" },
    el("td", {}, result.passed ? t("pass") : t("fail")),
    el("td", { class: "name" }, nameNode(result.name)),
    el("td", {}, result.file),
    el("td", {}, outcomeLabel(String(result.expected.outcome)) + " " + JSON.stringify(result.expected.codes || [])),
    el("td", {}, outcomeLabel(String(result.outcome)) + " " + JSON.stringify(result.codes)),
    el("td", {}, el("ul", {}, [...result.differences.map(differenceText), ...(result.passed ? [] : result.messages)]
      .map((p) => el("li", {}, p)))))));
  showFailuresOnly();
}

// --- impact replay ------------------------------------------------------------

async function runImpact(event) {
  event.preventDefault();
  const body = {
    base: document.getElementById("impact-base").value,
    candidate: document.getElementById("impact-candidate").value,
  };
  const asOf = document.getElementById("impact-as-of").value;
  if (asOf) body.as_of = asOf;
  const source = document.querySelector("input[name=impact-source]:checked").value;
  const file = document.getElementById("impact-file").files[0];
  if (source === "jsonl" && file) body.jsonl = await file.text();
  show("impact", false);
  setStatus(t("running"));
  const answer = await call("POST", "/api/v1/admin/impact", body);
  if (tokenRefused(answer)) return;
  if (answer.status !== 200) return setStatus(problemText(answer));
  setStatus("");
  const { summary, changes } = answer.data;
  show("impact", true);
  fill("impact-summary", t("impact_summary", { total: summary.cases, changed: summary.changed }));
  fill("impact-transitions", summary.transitions.length
    ? summary.transitions.map((row) => el("tr", {}, el("td", {}, outcomeLabel(row.from)), el("td", {}, outcomeLabel(row.to)),
      el("td", { class: "number" }, row.count)))
    : el("tr", {}, el("td", { colSpan: 3 }, t("no_transitions"))));
  fill("impact-unchanged", Object.entries(summary.unchanged).map(([o, n]) => outcomeLabel(o) + " " + n).join(", ") || t("none"));
  fill("impact-reasons-changed", summary.reasons_changed_same_outcome);
  fill("impact-changes", changes.map(changeRow));
}

function sideText(side) {
  return outcomeLabel(side.outcome) + " " + JSON.stringify(side.codes || []) + (side.ruleset ? " · " + side.ruleset : "");
}

function changeRow(change) {
  const added = (change.after.reasons || []).filter((r) => !(change.before.reasons || []).some((b) => JSON.stringify(b) === JSON.stringify(r)));
  return el("tr", { class: change.before.outcome !== change.after.outcome ? "flipped" : "" },
    el("td", {}, el("code", {}, change.case), change.application_id ? " (" + change.application_id + ")" : ""),
    el("td", {}, sideText(change.before)),
    el("td", {}, sideText(change.after), el("ul", {}, added.map((r) => el("li", {}, r.code + ": " + r.message)))),
    el("td", {}, change.changes.map((kind) => t("field_" + kind)).join(", ")));
}

// --- wiring -------------------------------------------------------------------

function start() {
  for (const tab of document.querySelectorAll(".tab")) tab.addEventListener("click", () => showView(tab.dataset.view));
  document.getElementById("interface-language").addEventListener("change", (e) => applyLanguage(e.target.value));
  document.getElementById("token").value = sessionStorage.getItem("specreg-token") || "";
  document.getElementById("token-form").addEventListener("submit", applyToken);
  document.getElementById("suite-failures-only").addEventListener("change", showFailuresOnly);
  document.getElementById("fixture").addEventListener("change", (e) => pickFixture(e.target.value));
  document.getElementById("payload").addEventListener("input", () => (state.expectation = null));
  document.getElementById("payload-file").addEventListener("change", async (e) => {
    const file = e.target.files[0];
    if (file) document.getElementById("payload").value = await file.text();
    state.expectation = null;
  });
  document.getElementById("screen-form").addEventListener("submit", screen);
  document.getElementById("suite-form").addEventListener("submit", runSuite);
  document.getElementById("impact-form").addEventListener("submit", runImpact);
  loadRulesets();
  loadFixtures();
}

document.addEventListener("DOMContentLoaded", start);
