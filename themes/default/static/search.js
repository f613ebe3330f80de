// Torget: the search page. Only this page loads this file, and it loads pagefind's runtime and
// index only once someone searches. Pagefind searches the index of the page's <html lang>, so
// each language has its own search page.
(() => {
  'use strict';
  const $ = (sel, root = document) => root.querySelector(sel);
  const $$ = (sel, root = document) => Array.from(root.querySelectorAll(sel));

  const form = $('[data-search-form]');
  if (!form) return;
  const input = $('input[type="search"]', form);
  const section = $('[data-search-section]');
  const status = $('[data-search-status]');
  const list = $('[data-search-results]');
  const more = $('[data-search-more]');
  const listings = $('[data-search-listings]');
  const details = $('[data-search-filters]');
  const filterCount = $('[data-filter-count]');
  const FILTERS = ['type', 'area', 'status'];
  const PAGE = 10;

  // The page works without this script; with it, the form replaces the notice that says so.
  $('[data-search-nojs]').hidden = true;
  form.hidden = false;
  section.hidden = false;

  const lang = document.documentElement.lang;
  let forms = {};
  try { forms = JSON.parse(form.dataset.countForms || '{}'); } catch (e) { /* plain numbers */ }
  let plural = () => 'other';
  try { const rules = new Intl.PluralRules(lang); plural = (n) => rules.select(n); } catch (e) { /* other */ }
  const count = (n) => (forms[plural(n)] || forms.other || '{n}').replace('{n}', String(n));

  let pagefind = null;
  let failures = 0;
  function load() {
    if (!pagefind) {
      // A failed import stays failed for the page's lifetime under the same URL: ask anew.
      const url = failures ? `${form.dataset.bundle}?retry=${failures}` : form.dataset.bundle;
      pagefind = import(url).then(async (pf) => {
        // No web worker: pagefind-worker.js repeats the runtime, 13 KB more before the first
        // results. The cost: the index is decoded on the main thread, for a word on every page
        // of a 10,000-item site a task of about 100 ms (docs/performance.md).
        await pf.options({ excerptLength: 26, excerptEllipsis: '…', noWorker: true });
        return pf;
      });
      pagefind.catch(() => { pagefind = null; failures += 1; });
    }
    return pagefind;
  }

  // The index also holds every word spelt without æ, ø and å, so a query typed with them is
  // searched as typed (matches are marked in the excerpt) and folded (finds "Ostensjø" typos).
  const fold = (s) => s.toLowerCase().replace(/æ/g, 'ae').replace(/ø/g, 'o').replace(/å/g, 'a');

  function chosen() {
    const f = {};
    for (const name of FILTERS) {
      const values = $$(`input[name="${name}"]:checked`, form).map((i) => i.value);
      if (values.length) f[name] = { any: values };
    }
    return f;
  }

  function showFilterCount() {
    const n = $$('input[type="checkbox"]:checked', form).length;
    filterCount.textContent = n ? `(${n})` : '';
  }

  function remember(q) {
    const params = new URLSearchParams();
    if (q) params.set('q', q);
    for (const i of $$('input[type="checkbox"]:checked', form)) params.append(i.name, i.value);
    const s = params.toString();
    history.replaceState(null, '', s ? `?${s}` : location.pathname);
  }

  let generation = 0;
  let results = [];
  let shown = 0;

  // The preview answers 503 with Retry-After for the index while it builds the first one.
  async function preparing() {
    try {
      const r = await fetch(form.dataset.bundle, { method: 'HEAD', cache: 'no-store' });
      return r.status === 503 && r.headers.has('Retry-After');
    } catch (e) {
      return false;
    }
  }

  function say(text, withListings) {
    status.textContent = text;
    listings.hidden = !withListings;
  }

  async function run() {
    const q = input.value.trim();
    const filters = chosen();
    const filtered = Object.keys(filters).length > 0;
    showFilterCount();
    remember(q);
    const mine = ++generation;
    if (!q && !filtered) {
      results = [];
      list.textContent = '';
      more.hidden = true;
      say('', false);
      return;
    }
    list.setAttribute('aria-busy', 'true');
    try {
      const pf = await load();
      const found = (await pf.search(q || null, { filters })).results;
      const folded = q && fold(q);
      if (folded && folded !== q.toLowerCase()) {
        const ids = new Set(found.map((r) => r.id));
        for (const r of (await pf.search(folded, { filters })).results) {
          if (!ids.has(r.id)) found.push(r);
        }
        found.sort((a, b) => b.score - a.score);
      }
      if (mine !== generation) return;
      results = found;
      shown = 0;
      list.textContent = '';
      await showMore(false);
      if (mine !== generation) return;
      if (results.length === 0 && q) say(form.dataset.none.replace('{q}', q), true);
      else say(count(results.length), false);
    } catch (e) {
      if (mine !== generation) return;
      results = [];
      list.textContent = '';
      more.hidden = true;
      if (await preparing()) {
        if (mine !== generation) return;
        // Searched again once the index is there, without a reload.
        say(form.dataset.preparing, false);
        setTimeout(() => { if (mine === generation) run(); }, 1500);
        return;
      }
      if (mine !== generation) return;
      say(form.dataset.error, true);
    } finally {
      if (mine === generation) list.removeAttribute('aria-busy');
    }
  }

  function el(tag, className, text) {
    const e = document.createElement(tag);
    if (className) e.className = className;
    if (text) e.textContent = text;
    return e;
  }

  function render(data) {
    const li = el('li', 'result');
    const h = el('h3', 'result-title');
    const a = el('a', '', data.meta.title || data.url);
    a.href = data.url;
    h.appendChild(a);
    li.appendChild(h);
    const meta = el('p', 'card-meta');
    meta.appendChild(el('span', 'result-type', data.meta.type));
    const state = data.filters && data.filters.status && data.filters.status[0];
    if (data.meta.status) {
      meta.appendChild(el('span', state ? `badge badge-${state}` : 'result-status', data.meta.status));
    }
    if (data.meta.when) meta.appendChild(el('span', 'result-when', data.meta.when));
    li.appendChild(meta);
    // Pagefind escapes the page text and adds only <mark> around the matches.
    const excerpt = el('p', 'result-excerpt');
    excerpt.innerHTML = data.excerpt;
    li.appendChild(excerpt);
    if (data.meta.areas) li.appendChild(el('p', 'result-areas', data.meta.areas));
    return li;
  }

  async function showMore(focus) {
    const next = results.slice(shown, shown + PAGE);
    const mine = generation;
    const data = await Promise.all(next.map((r) => r.data()));
    if (mine !== generation) return;
    const items = data.map(render);
    for (const li of items) list.appendChild(li);
    shown += next.length;
    more.hidden = shown >= results.length;
    // Keyboard users land on the first new result instead of back at the top.
    if (focus && items.length) $('a', items[0]).focus();
  }

  let timer;
  input.addEventListener('input', () => {
    clearTimeout(timer);
    timer = setTimeout(run, 300);
  });
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    clearTimeout(timer);
    run();
  });
  form.addEventListener('change', (ev) => {
    if (ev.target.type === 'checkbox') run();
  });
  $('[data-search-clear]').addEventListener('click', () => {
    for (const i of $$('input[type="checkbox"]:checked', form)) i.checked = false;
    run();
  });
  more.addEventListener('click', () => showMore(true));

  // Arrow keys move between the field and the results' links.
  const links = () => $$('.result-title a', list);
  input.addEventListener('keydown', (ev) => {
    if (ev.key === 'ArrowDown' && links().length) {
      ev.preventDefault();
      links()[0].focus();
    }
  });
  list.addEventListener('keydown', (ev) => {
    if (ev.key !== 'ArrowDown' && ev.key !== 'ArrowUp') return;
    const all = links();
    const i = all.indexOf(document.activeElement);
    if (i < 0) return;
    ev.preventDefault();
    if (ev.key === 'ArrowDown' && i + 1 < all.length) all[i + 1].focus();
    else if (ev.key === 'ArrowUp') (i > 0 ? all[i - 1] : input).focus();
  });

  // Coming from the header field or a shared link: ?q=…&type=…
  const params = new URLSearchParams(location.search);
  input.value = params.get('q') || '';
  let any = false;
  for (const name of FILTERS) {
    for (const value of params.getAll(name)) {
      const box = $$(`input[name="${name}"]`, form).find((i) => i.value === value);
      if (box) { box.checked = true; any = true; }
    }
  }
  if (any) details.open = true;
  if (input.value || any) run();
  else showFilterCount();
})();
