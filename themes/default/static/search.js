// The search page of Dateline's built-in theme. It reads the index `dateline build` writes under
// /search/index/ (its format is documented in docs/search.md), loading only the files a query
// needs: the list of shards, the shard of each word, and the chunks of the results shown. It
// needs no stemmer: each shard maps the word forms found in the archive to their stems. No
// third-party code, no cookies, nothing sent anywhere but to the site itself.
(() => {
  "use strict";
  const root = document.querySelector("[data-search-index]");
  if (!root) return;
  const base = root.dataset.searchIndex;
  const form = root.querySelector("form.search-form");
  const input = form.elements.q;
  const filters = form.querySelector(".search-filters");
  const status = document.getElementById("search-status");
  const list = document.getElementById("search-results");
  const more = document.getElementById("search-more");
  const fallback = document.getElementById("search-fallback");
  /** Results shown at a time. */
  const PAGE = 10;
  /** A headline match counts most, then the dek, tags, section and byline, then the body. */
  const WEIGHT = [4, 2, 1];
  /** Scripts written without spaces, indexed character by character (as `is_unspaced`). */
  const UNSPACED = /[\u3040-\u30FF\u3400-\u4DBF\u4E00-\u9FFF\uF900-\uFAFF\uFF66-\uFF9F\u{20000}-\u{2FA1F}]/u;
  const segmenter = typeof Intl.Segmenter === "function"
    ? new Intl.Segmenter(document.documentElement.lang || undefined, { granularity: "word" })
    : null;
  const dateFormat = new Intl.DateTimeFormat(document.documentElement.lang || undefined, {
    dateStyle: "long",
    timeZone: "UTC",
  });

  let meta = null;
  /** Fetched files by path: promises, and the parsed JSON once it arrived. */
  const pending = new Map();
  const loaded = new Map();
  let hits = [];
  let shown = 0;
  let query = [];
  /** The stems the query's words were looked up by. */
  let queryStems = new Set();
  let generation = 0;

  function load(path) {
    if (!pending.has(path)) {
      const version = meta ? "?v=" + meta.v : "";
      pending.set(path, fetch(base + path + version).then((response) => {
        if (!response.ok) throw new Error(path + ": " + response.status);
        return response.json();
      }).then((json) => {
        loaded.set(path, json);
        return json;
      }));
    }
    return pending.get(path);
  }

  /** The words of `text`, lowercased, split as the index splits them (Unicode's word rules). */
  function words(text) {
    const lower = text.toLowerCase();
    const pieces = segmenter
      ? Array.from(segmenter.segment(lower)).filter((s) => s.isWordLike).map((s) => s.segment)
      : lower.split(/[^\p{L}\p{N}\p{M}'’_]+/u).filter(Boolean);
    const out = [];
    for (const word of pieces) {
      if (!UNSPACED.test(word)) {
        out.push(word);
        continue;
      }
      let rest = "";
      for (const c of word) {
        if (UNSPACED.test(c)) out.push(c);
        else rest += c;
      }
      if (rest) out.push(rest);
    }
    return out;
  }

  /** Code point order, the order of the index's keys. */
  function compare(a, b) {
    const n = Math.min(a.length, b.length);
    for (let i = 0; i < n; i++) {
      const x = a.codePointAt(i);
      const y = b.codePointAt(i);
      if (x !== y) return x < y ? -1 : 1;
      if (x > 0xffff) i++;
    }
    return a.length - b.length;
  }

  /** The path of the shard that holds `key`: the last whose first key is not after it. */
  function shardPath(key) {
    const shards = meta.shards;
    let low = 0;
    let high = shards.length - 1;
    while (low < high) {
      const middle = (low + high + 1) >> 1;
      if (compare(shards[middle][0], key) <= 0) low = middle;
      else high = middle - 1;
    }
    return "t/" + shards[low][1] + ".json";
  }

  const own = (object, key) => Object.prototype.hasOwnProperty.call(object, key);

  /** The stem of a word, when its shard is loaded already (for highlighting). */
  function knownStem(word) {
    const shard = loaded.get(shardPath(word));
    if (!shard) return word;
    return own(shard.w, word) ? shard.w[word] : word;
  }

  /**
   * The stem a word is looked up by: its own, from the forms the archive has; the word itself
   * when it is a stem; else the longest stem that begins it and has at least half its
   * characters (a form no story has: "debates" finds the stem of "debate").
   */
  async function stemOf(word, shard) {
    const stem = own(shard.w, word) ? shard.w[word] : word;
    if (own((await load(shardPath(stem))).p, stem)) return stem;
    const chars = Array.from(word);
    for (let n = chars.length - 1; n >= Math.max(3, Math.ceil(chars.length / 2)); n--) {
      const prefix = chars.slice(0, n).join("");
      if (own((await load(shardPath(prefix))).p, prefix)) return prefix;
    }
    return stem;
  }

  /** The stems a query word stands for; with `prefix`, also those of words it begins. */
  async function stems(word, prefix) {
    const shard = await load(shardPath(word));
    const found = new Set([await stemOf(word, shard)]);
    if (prefix) {
      for (const form of Object.keys(shard.w)) if (form.startsWith(word)) found.add(shard.w[form]);
      for (const stem of Object.keys(shard.p)) if (stem.startsWith(word)) found.add(stem);
    }
    return found;
  }

  /** Decodes a postings string (see `postings.rs`). */
  function decode(text) {
    const documents = [];
    let previous = -1;
    let value = 0;
    for (let i = 0; i < text.length; i++) {
      const digit = DIGITS.indexOf(text[i]);
      value = value * 32 + (digit % 32);
      if (digit < 32) {
        previous += value + 1;
        documents.push(previous);
        value = 0;
      }
    }
    return documents;
  }
  const DIGITS = "0123456789abcdefghijklmnopqrstuvABCDEFGHIJKLMNOPQRSTUVWXYZ_-wxyz";

  /** Each document with the word, with the weight of the best place it is found in. */
  async function matches(word, prefix, found) {
    const scores = new Map();
    for (const stem of await stems(word, prefix)) {
      found.add(stem);
      const shard = await load(shardPath(stem));
      if (!own(shard.p, stem)) continue;
      shard.p[stem].forEach((postings, tier) => {
        for (const document of decode(postings)) {
          if ((scores.get(document) || 0) < WEIGHT[tier]) scores.set(document, WEIGHT[tier]);
        }
      });
    }
    return scores;
  }

  /** The documents with every word of the query, with their scores. */
  async function find(text) {
    const terms = words(text);
    const found = new Set();
    if (terms.length === 0) return { terms, stems: found, hits: [] };
    // The last word may be unfinished while the reader types: it also finds words it begins.
    const typing = !/\s$/.test(text);
    const perWord = await Promise.all(terms.map((term, i) =>
      matches(term, typing && i === terms.length - 1 && Array.from(term).length >= 3, found)));
    perWord.sort((a, b) => a.size - b.size);
    const [first, ...rest] = perWord;
    const hits = [];
    for (const [document, weight] of first) {
      let score = weight;
      for (const other of rest) {
        const w = other.get(document);
        if (w === undefined) { score = -1; break; }
        score += w;
      }
      if (score > 0) hits.push([document, score]);
    }
    return { terms, stems: found, hits };
  }

  /** Only the documents the filters keep. */
  async function filtered(found) {
    const section = form.elements.section.value;
    const author = form.elements.author.value;
    const year = form.elements.year.value;
    if (!section && !author && !year) return found;
    const facets = await load("facets.json");
    return found.filter(([d]) =>
      (!section || facets.s[d] === Number(section))
      && (!author || facets.a[d].includes(Number(author)))
      && (!year || facets.y[d] === Number(year)));
  }

  async function run() {
    const text = input.value;
    const mine = ++generation;
    remember();
    if (!words(text).length) {
      list.replaceChildren();
      more.hidden = true;
      status.textContent = "";
      return;
    }
    const found = await find(text);
    let kept = await filtered(found.hits);
    if (mine !== generation) return;
    const newest = form.elements.sort.checked;
    kept.sort((a, b) => (newest ? 0 : b[1] - a[1]) || a[0] - b[0]);
    hits = kept;
    query = found.terms;
    queryStems = found.stems;
    shown = 0;
    list.replaceChildren();
    const count = hits.length;
    status.textContent = count === 0
      ? "No stories match “" + text.trim() + "”."
      : count + (count === 1 ? " story matches “" : " stories match “") + text.trim() + "”.";
    await showMore(false);
  }

  /** Adds the next page of results; with `focus`, moves focus to the first one added. */
  async function showMore(focus) {
    const mine = generation;
    const page = hits.slice(shown, shown + PAGE);
    const records = await Promise.all(page.map(([d]) =>
      load("d/" + Math.floor(d / meta.chunk) + ".json").then((chunk) => chunk[d % meta.chunk])));
    if (mine !== generation) return;
    const items = records.filter(Boolean).map(result);
    list.append(...items);
    shown += page.length;
    more.hidden = shown >= hits.length;
    if (focus && items.length) items[0].querySelector("a").focus();
  }

  function matching(word) {
    const lower = word.toLowerCase();
    return queryStems.has(knownStem(lower)) || query.some((term, i) => lower === term
      || (i === query.length - 1 && Array.from(term).length >= 3 && lower.startsWith(term)));
  }

  /** `text` as nodes, the query's words marked. */
  function marked(text) {
    const nodes = [];
    const parts = segmenter
      ? Array.from(segmenter.segment(text), (s) => [s.segment, s.isWordLike])
      : text.split(/([\p{L}\p{N}\p{M}'’_]+)/u).map((s, i) => [s, i % 2 === 1]);
    const push = (text, hit) => {
      if (!hit) return nodes.push(document.createTextNode(text));
      const mark = document.createElement("mark");
      mark.textContent = text;
      nodes.push(mark);
    };
    for (const [segment, word] of parts) {
      if (word && UNSPACED.test(segment)) {
        for (const c of segment) push(c, query.includes(c));
      } else {
        push(segment, word && matching(segment));
      }
    }
    return nodes;
  }

  /** The part of the body's opening around its first match, or its beginning. */
  function excerpt(text) {
    const parts = text.split(" ");
    let at = parts.findIndex((part) => words(part).some(matching));
    if (at < 0) at = 0;
    const start = Math.max(0, at - 12);
    const end = Math.min(parts.length, start + 36);
    return (start > 0 ? "… " : "") + parts.slice(start, end).join(" ") + (end < parts.length ? " …" : "");
  }

  function element(tag, className, children) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (children) node.append(...children);
    return node;
  }

  function result(record) {
    const item = element("li", "search-result");
    if (record.s) item.append(element("p", "kicker", [record.s]));
    const link = element("a", "", marked(record.h));
    link.href = record.u;
    item.append(element("h2", "", [link]));
    if (record.d) item.append(element("p", "card-dek", marked(record.d)));
    if (record.x) item.append(element("p", "search-excerpt", marked(excerpt(record.x))));
    const details = [];
    if (record.t) {
      const time = element("time", "", [dateFormat.format(new Date(record.t + "T00:00:00Z"))]);
      time.dateTime = record.t;
      details.push(time);
    }
    if (record.a && record.a.length) details.push((details.length ? " · " : "") + record.a.join(", "));
    if (details.length) item.append(element("p", "card-meta", details));
    if (record.i) {
      const image = element("img");
      image.src = record.i;
      image.alt = "";
      image.loading = "lazy";
      item.append(image);
    }
    return item;
  }

  /** Keeps the query and filters in the address, so that results can be shared and revisited. */
  function remember() {
    const params = new URLSearchParams();
    for (const name of ["q", "section", "author", "year"]) {
      const value = form.elements[name].value;
      if (value) params.set(name, value);
    }
    if (form.elements.sort.checked) params.set("sort", "newest");
    const search = params.toString();
    history.replaceState(null, "", search ? "?" + search : location.pathname);
  }

  function fill(select, values) {
    for (const [value, label] of values) select.append(new Option(label, value));
  }

  let timer = 0;
  function soon() {
    clearTimeout(timer);
    timer = setTimeout(() => run().catch(failed), 30);
  }

  function failed(error) {
    status.textContent = "Search is unavailable right now. Please try again, or browse the sections below.";
    fallback.hidden = false;
    console.error(error);
  }

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    clearTimeout(timer);
    run().catch(failed);
  });
  input.addEventListener("input", soon);
  filters.addEventListener("change", soon);
  input.addEventListener("keydown", (event) => {
    const first = list.querySelector("a");
    if (event.key === "ArrowDown" && first) {
      event.preventDefault();
      first.focus();
    }
  });
  more.addEventListener("click", () => showMore(true).catch(failed));

  load("meta.json").then((json) => {
    meta = json;
    fill(form.elements.section, meta.sections.map((name, i) => [i, name]));
    fill(form.elements.author, meta.authors.map((name, i) => [i, name]));
    fill(form.elements.year, meta.years.map((year) => [year, String(year)]));
    const params = new URLSearchParams(location.search);
    for (const name of ["q", "section", "author", "year"]) {
      if (params.has(name)) form.elements[name].value = params.get(name);
    }
    form.elements.sort.checked = params.get("sort") === "newest";
    filters.hidden = false;
    fallback.hidden = true;
    if (input.value) run().catch(failed);
  }).catch(failed);
})();
