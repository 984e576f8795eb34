// gongkai search page. Everything from the server is set with textContent; the one
// exception, highlighted snippets, is rebuilt from text nodes and <mark> elements only.
"use strict";

const $ = (id) => document.getElementById(id);
const PAGE_SIZE = 10;
const SUGGEST_DELAY_MS = 150;
// Section keys of the record (indexer/models.py SECTION_KEYS) as a reader knows them.
const SECTION_LABELS = {
  preamble: "报告开头",
  overview: "一、总体情况",
  proactive: "二、主动公开政府信息情况",
  applications: "三、收到和处理政府信息公开申请情况",
  reviews_lawsuits: "四、行政复议、行政诉讼情况",
  problems: "五、存在的主要问题及改进情况",
  other: "六、其他需要报告的事项",
};

/** Create an element with attributes and children (strings become text nodes). */
function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === null || value === undefined || value === false) continue;
    if (key === "class") node.className = value;
    else node.setAttribute(key, value);
  }
  for (const child of children) {
    if (child === null || child === undefined || child === "") continue;
    node.append(child instanceof Node ? child : String(child));
  }
  return node;
}

/** The server's escaped snippet HTML as a fragment of text and <mark> nodes, nothing else. */
function markedFragment(html) {
  const doc = new DOMParser().parseFromString(`<body>${html}</body>`, "text/html");
  const out = document.createDocumentFragment();
  for (const node of doc.body.childNodes) {
    if (node.nodeType === Node.ELEMENT_NODE && node.tagName === "MARK") {
      out.append(el("mark", {}, node.textContent));
    } else {
      out.append(document.createTextNode(node.textContent));
    }
  }
  return out;
}

async function getJSON(url) {
  const response = await fetch(url, { headers: { Accept: "application/json" } });
  let body = null;
  try {
    body = await response.json();
  } catch (_) {
    body = null;
  }
  if (!response.ok) {
    const message = body && body.error ? body.error.message : `HTTP ${response.status}`;
    throw new Error(message);
  }
  return body;
}

/** The report page of a result. */
function reportHref(id) {
  return `/reports/${encodeURIComponent(id)}`;
}

function place(item) {
  const parts = [item.province, item.city, item.county].filter(Boolean);
  return [...new Set(parts)].join(" · ");
}

// -- rendering ----------------------------------------------------------------------------

function contactCard(result) {
  const c = result.contact || {};
  const rows = [];
  const add = (label, value) => { if (value) rows.push(el("dt", {}, label), el("dd", {}, value)); };
  for (const phone of c.phones || []) {
    const digits = phone.replace(/[^0-9+\-]/g, "");
    add("电话", el("a", { class: "phone", href: `tel:${digits}` }, phone));
  }
  add("传真", c.fax);
  add("地址", c.address);
  add("邮编", c.postcode);
  if (c.email && /^[^\s@<>]+@[^\s@<>]+$/.test(c.email)) {
    add("邮箱", el("a", { href: `mailto:${c.email}` }, c.email));
  }
  if (c.website) {
    const safe = /^https?:\/\//i.test(c.website);
    add("网站", safe ? el("a", { href: c.website, rel: "noopener", target: "_blank" }, c.website)
      : c.website);
  }
  if (!rows.length) rows.push(el("dt", {}, "联系方式"), el("dd", {}, "报告中未写明"));
  const title = result.township || result.agency || result.report_id;
  return el("article", { class: "card", "data-report": result.report_id },
    el("h3", {}, el("a", { href: reportHref(result.report_id) }, title)),
    result.agency && result.agency !== title ? el("p", { class: "agency" }, result.agency) : null,
    el("p", { class: "place" }, [place(result), result.year ? `${result.year}年报告` : ""]
      .filter(Boolean).join(" · ")),
    el("dl", {}, ...rows));
}

function hitItem(result) {
  const title = result.township || result.agency || result.report_id;
  const meta = [result.township ? result.agency : null, place(result),
    result.year ? `${result.year}年` : null].filter(Boolean).join(" · ");
  const value = result.value === null || result.value === undefined ? null
    : el("span", { class: "value" }, result.value.toLocaleString("zh-CN"));
  const snippets = (result.snippets || []).map((s) => el("p", { class: "snippet" },
    s.section ? el("span", { class: "section" }, SECTION_LABELS[s.section] || s.section) : null,
    markedFragment(s.html || "")));
  return el("li", { class: "hit", "data-report": result.report_id },
    el("header", {}, el("h3", {}, el("a", { href: reportHref(result.report_id) }, title)),
      el("span", { class: "meta" }, meta), value),
    ...snippets);
}

function renderResults(answer, append) {
  const cards = $("cards");
  const list = $("results");
  if (!append) { cards.replaceChildren(); list.replaceChildren(); }
  for (const result of answer.results || []) {
    if (answer.intent === "contact" || (result.contact && !(result.snippets || []).length
        && (result.value === null || result.value === undefined))) {
      cards.append(contactCard(result));
    } else {
      list.append(hitItem(result));
    }
  }
}

// -- charts -------------------------------------------------------------------------------

// The elements a chart from the server may hold; anything else (and any event handler or
// link attribute) is dropped before it joins the page. <style> goes too: the page's own
// stylesheet colours charts, dark mode included, under a CSP that allows no inline style.
const SVG_TAGS = new Set(["svg", "title", "desc", "g", "rect", "line", "polyline", "polygon",
  "circle", "path", "text"]);

function cleanSvg(node) {
  for (const child of [...node.children]) {
    if (SVG_TAGS.has(child.tagName)) cleanSvg(child);
    else child.remove();
  }
  for (const attr of [...node.attributes]) {
    if (/^on|href|^style$/i.test(attr.name)) node.removeAttribute(attr.name);
  }
}

/** Whether the server draws this answer: a ranking, or values over years for one township. */
function hasChart(answer) {
  const results = answer.results || [];
  if (!results.some((r) => r.value !== null && r.value !== undefined)) return false;
  if (answer.intent === "rank" || answer.intent === "series") return true;
  const years = new Map();
  for (const r of results) {
    if (r.value === null || r.value === undefined || !r.year) continue;
    const key = [r.township || r.agency || r.report_id, r.county, r.province].join("|");
    if (!years.has(key)) years.set(key, new Set());
    years.get(key).add(r.year);
  }
  return [...years.values()].some((set) => set.size > 1);
}

async function showChart(answer, seq) {
  const figure = $("chart");
  figure.hidden = true;
  figure.replaceChildren();
  if (!hasChart(answer)) return;
  const url = `/api/ask.svg?q=${encodeURIComponent(answer.question)}&size=${PAGE_SIZE}`;
  try {
    const response = await fetch(url);
    if (!response.ok || seq !== state.seq) return;
    const doc = new DOMParser().parseFromString(await response.text(), "image/svg+xml");
    const svg = doc.documentElement;
    if (svg.tagName !== "svg" || doc.querySelector("parsererror")) return;
    cleanSvg(svg);
    figure.append(document.importNode(svg, true));
    figure.hidden = false;
  } catch (_) {
    figure.hidden = true;  // the answer stands without its picture
  }
}

/** A table of a county's townships for a year, the ones without a report marked in words. */
function coverageTable(county, year) {
  const rows = [
    ...county.reported.map((name) => el("tr", {}, el("th", { scope: "row" }, name),
      el("td", {}, "✓ 已发布"))),
    ...county.missing.map((name) => el("tr", { class: "missing" }, el("th", { scope: "row" }, name),
      el("td", {}, "✗ 未发布"))),
  ];
  return el("table", { class: "coverage" },
    el("caption", {}, `${county.county} ${year || ""} 年报告：已发布 ${county.n} / ${county.total}`),
    el("thead", {}, el("tr", {}, el("th", { scope: "col" }, "乡镇"), el("th", { scope: "col" }, "状态"))),
    el("tbody", {}, ...rows));
}

function showCoverage(answer) {
  const box = $("coverage");
  const found = answer.extra && answer.extra.coverage;
  box.hidden = !(found && found.counties);
  box.replaceChildren();
  if (box.hidden) return;
  box.append(...found.counties.map((c) => coverageTable(c, found.year)));
}

// -- asking -------------------------------------------------------------------------------

const state = { question: "", next: null, seq: 0 };

function setStatus(text, isError = false) {
  $("status").textContent = text;
  $("status").classList.toggle("error", isError);
}

async function ask(question, { push = true } = {}) {
  question = question.trim();
  if (!question) return;
  const seq = ++state.seq;
  $("q").value = question;
  hideSuggestions();
  if (push) {
    const url = `${location.pathname}?q=${encodeURIComponent(question)}`;
    if (location.search !== `?q=${encodeURIComponent(question)}`) history.pushState({}, "", url);
  }
  document.title = `${question} — 政府信息公开年报问答`;
  setStatus("正在查找… searching");
  try {
    const answer = await getJSON(`/api/ask?q=${encodeURIComponent(question)}&size=${PAGE_SIZE}`);
    if (seq !== state.seq) return;
    show(answer, false);
  } catch (error) {
    if (seq !== state.seq) return;
    $("answer").hidden = true;
    setStatus(error.message, true);
  }
}

function show(answer, append) {
  state.next = answer.next || null;
  $("intro").hidden = true;
  $("answer").hidden = false;
  // With results below it, the answer's first line is the headline; the rest of the text
  // (written for chat, where there are no cards) would only repeat them.
  const lines = (answer.text || "").split("\n");
  const hasResults = (answer.results || []).length > 0;
  if (!append) {
    $("answer-text").textContent = hasResults ? lines[0] : answer.text;
    showChart(answer, state.seq);
    showCoverage(answer);
  }
  renderResults(answer, append);
  $("more").hidden = !state.next;
  const shown = $("cards").children.length + $("results").children.length;
  const listed = shown > 0 || !$("coverage").hidden;  // a coverage answer is its table
  setStatus(answer.total > shown && shown > 0 ? `共 ${answer.total} 条，已显示 ${shown} 条`
    : (listed || !answer.total ? "" : `共 ${answer.total} 条`));
}

async function more() {
  if (!state.next) return;
  const seq = state.seq;
  $("more").disabled = true;
  try {
    const answer = await getJSON(state.next);
    if (seq === state.seq) show(answer, true);
  } catch (error) {
    setStatus(error.message, true);
  } finally {
    $("more").disabled = false;
  }
}

// -- autocomplete -------------------------------------------------------------------------

const suggest = { timer: null, items: [], active: -1, seq: 0 };

function hideSuggestions() {
  clearTimeout(suggest.timer);
  suggest.seq++;
  suggest.items = [];
  suggest.active = -1;
  $("suggest").hidden = true;
  $("suggest").replaceChildren();
  $("q").setAttribute("aria-expanded", "false");
}

function renderSuggestions(results) {
  const box = $("suggest");
  suggest.items = results;
  suggest.active = -1;
  box.replaceChildren(...results.map((r, i) => {
    const phone = r.contact && r.contact.phones && r.contact.phones[0];
    return el("li", { role: "option", id: `suggest-${i}`, "aria-selected": "false" },
      r.township || r.agency, el("span", { class: "where" },
        [place(r), phone].filter(Boolean).join(" · ")));
  }));
  box.hidden = results.length === 0;
  $("q").setAttribute("aria-expanded", String(results.length > 0));
}

async function lookup(text) {
  const seq = ++suggest.seq;
  try {
    const body = await getJSON(`/api/townships?q=${encodeURIComponent(text)}&limit=6`);
    if (seq === suggest.seq && $("q").value.trim() === text) renderSuggestions(body.results);
  } catch (_) {
    if (seq === suggest.seq) hideSuggestions();
  }
}

function onInput() {
  const text = $("q").value.trim();
  clearTimeout(suggest.timer);
  if (!text || text.length > 20) { hideSuggestions(); return; }
  suggest.timer = setTimeout(() => lookup(text), SUGGEST_DELAY_MS);
}

function pick(index) {
  const chosen = suggest.items[index];
  if (!chosen) return;
  hideSuggestions();
  ask(`${chosen.township || chosen.agency}联系方式`);
}

function moveActive(step) {
  const n = suggest.items.length;
  if (!n) return;
  suggest.active = (suggest.active + step + n) % n;
  [...$("suggest").children].forEach((li, i) =>
    li.setAttribute("aria-selected", String(i === suggest.active)));
  $("q").setAttribute("aria-activedescendant", `suggest-${suggest.active}`);
}

function onKey(event) {
  if ($("suggest").hidden) return;
  if (event.key === "ArrowDown") { event.preventDefault(); moveActive(1); }
  else if (event.key === "ArrowUp") { event.preventDefault(); moveActive(-1); }
  else if (event.key === "Escape") hideSuggestions();
  else if (event.key === "Enter" && suggest.active >= 0) { event.preventDefault(); pick(suggest.active); }
}

// -- wiring -------------------------------------------------------------------------------

async function showStats() {
  try {
    const h = await getJSON("/healthz");
    const years = h.years && h.years.length ? ` · ${h.years.join("、")} 年` : "";
    $("stats").textContent = `已收录 ${h.reports} 份报告 · ${h.townships} 个乡镇${years}`;
  } catch (error) {
    $("stats").textContent = `索引不可用：${error.message}`;
  }
}

/** Chips for each province and city in the index (facet counts), each asking for its townships. */
async function showPlaces() {
  try {
    const body = await getJSON("/api/reports?facet=province&facet=city&size=1");
    const chips = [];
    const seen = new Set();  // a municipality is its own province and city (重庆市)
    for (const facet of body.facets) {
      for (const v of facet.values) {
        if (seen.has(v.value)) continue;
        seen.add(v.value);
        const button = el("button", { type: "button" }, `${v.value} `,
          el("span", { class: "count" }, String(v.count)));
        button.addEventListener("click", () => ask(`${v.value}的乡镇`));
        chips.push(button);
      }
    }
    $("places").replaceChildren(...chips);
    $("browse").hidden = chips.length === 0;
  } catch (_) {
    $("browse").hidden = true;
  }
}

function fromUrl() {
  const q = new URLSearchParams(location.search).get("q");
  if (q) ask(q, { push: false });
}

document.addEventListener("DOMContentLoaded", () => {
  $("ask").addEventListener("submit", (event) => { event.preventDefault(); ask($("q").value); });
  $("q").addEventListener("input", onInput);
  $("q").addEventListener("keydown", onKey);
  $("q").addEventListener("blur", () => setTimeout(hideSuggestions, 150));
  $("suggest").addEventListener("mousedown", (event) => {
    const li = event.target.closest("li");
    if (li) { event.preventDefault(); pick([...$("suggest").children].indexOf(li)); }
  });
  $("more").addEventListener("click", more);
  for (const button of document.querySelectorAll(".examples button")) {
    button.addEventListener("click", () => ask(button.dataset.q));
  }
  window.addEventListener("popstate", fromUrl);
  showStats();
  showPlaces();
  fromUrl();
});
