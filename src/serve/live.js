// Torget's live preview, added to pages by `torget serve` only (never written into the site):
// reloads this page when its file was rebuilt, swaps a changed stylesheet in place so the
// scroll position stays, and shows content errors over the page until they are fixed.
(() => {
  "use strict";
  const me = document.currentScript;
  const notFound = me && me.dataset.status === "404";
  const page = (path) => path.replace(/index\.html$/, "");
  let build = null;

  function reload(data) {
    build = data.build;
    if (data.all || notFound || data.pages.some((p) => page(p) === page(location.pathname))) {
      location.reload();
    }
  }

  function swapStylesheets(hrefs) {
    for (const href of hrefs) {
      const path = new URL(href, location.href).pathname;
      for (const link of document.querySelectorAll('link[rel="stylesheet"]')) {
        if (new URL(link.href, location.href).pathname !== path) continue;
        // The old sheet stays until the new one has loaded, so nothing flashes unstyled.
        const next = link.cloneNode();
        next.href = href;
        next.addEventListener("load", () => link.remove(), { once: true });
        next.addEventListener("error", () => next.remove(), { once: true });
        link.after(next);
      }
    }
  }

  function hide() {
    const box = document.getElementById("torget-problems");
    if (box) box.remove();
  }

  function element(tag, css, text) {
    const e = document.createElement(tag);
    if (css) e.style.cssText = css;
    if (text) e.textContent = text;
    return e;
  }

  // `words` come with the problems, in the writer's language (the terminal's), like them.
  function show(problems, words) {
    hide();
    // Inline styles: the site's own stylesheet must neither hide nor restyle the box.
    const box = element(
      "section",
      "position:fixed;left:1rem;right:1rem;bottom:1rem;max-height:60vh;overflow:auto;" +
        "z-index:2147483647;background:#fff;color:#1a1a1a;border:3px solid #b00020;" +
        "border-radius:6px;padding:1rem 1.25rem;font:16px/1.5 system-ui,sans-serif;" +
        "box-shadow:0 4px 24px rgba(0,0,0,.35);text-align:left"
    );
    box.id = "torget-problems";
    box.setAttribute("role", "alert");
    box.setAttribute("aria-labelledby", "torget-problems-title");
    const title = element("h2", "margin:0 0 .5rem;font-size:1.2rem;color:#b00020", words.title);
    title.id = "torget-problems-title";
    const close = element(
      "button",
      "float:right;font:inherit;padding:.25rem .75rem;border:2px solid #1a1a1a;" +
        "border-radius:4px;background:#fff;color:#1a1a1a;cursor:pointer",
      words.close
    );
    close.type = "button";
    close.addEventListener("click", hide);
    box.append(close, title, element("p", "margin:0 0 .75rem", words.keep));
    const list = element("ul", "margin:0;padding-left:1.25rem");
    for (const p of problems) {
      const item = element("li", "margin:.5rem 0");
      let where = p.file || "";
      if (p.line) where += `:${p.line}` + (p.column ? `:${p.column}` : "");
      if (where) {
        item.append(element("code", "font-weight:bold;word-break:break-all", where), ": ");
      }
      item.append(document.createTextNode(p.message));
      if (p.help) {
        item.append(element("div", "color:#333", `${words.help} ${p.help}`));
      }
      list.append(item);
    }
    box.append(list);
    document.body.append(box);
  }

  document.addEventListener("keydown", (e) => {
    if (e.key === "Escape") hide();
  });

  const events = new EventSource("/__torget/events");
  const on = (name, handle) =>
    events.addEventListener(name, (e) => handle(JSON.parse(e.data)));
  // After the server restarts or the connection drops, a new build means a reload was missed.
  on("hello", (d) => {
    if (build !== null && d.build !== build) location.reload();
    build = d.build;
  });
  on("reload", reload);
  on("css", (d) => {
    build = d.build;
    swapStylesheets(d.hrefs);
  });
  on("error", (d) => show(d.problems, d.words));
  on("ok", hide);
})();
