/* static-registry UI: the home page filter, copy buttons and the usage tag picker.
   Plain JavaScript, no build step, no dependencies; the pages work without it. */
(function () {
  "use strict";

  function words(text) {
    return String(text || "").toLowerCase().split(/\s+/).filter(Boolean);
  }

  /* Home: narrow the server-rendered list with the search text of /api/index.json. */
  function setupFilter() {
    var input = document.getElementById("sr-filter");
    var list = document.getElementById("sr-list");
    if (!input || !list) return;
    var count = document.getElementById("sr-count");
    var empty = document.getElementById("sr-empty");
    var cards = Array.prototype.slice.call(list.querySelectorAll("li[data-sr-name]"));
    var haystack = {};
    cards.forEach(function (li) { haystack[li.getAttribute("data-sr-name")] = li.textContent.toLowerCase(); });

    function apply() {
      var terms = words(input.value);
      var shown = 0;
      cards.forEach(function (li) {
        var text = haystack[li.getAttribute("data-sr-name")] || "";
        var match = terms.every(function (t) { return text.indexOf(t) !== -1; });
        li.hidden = !match;
        if (match) shown += 1;
      });
      if (count) {
        count.textContent = terms.length
          ? shown + " of " + cards.length + (cards.length === 1 ? " collection" : " collections")
          : cards.length + (cards.length === 1 ? " collection" : " collections");
      }
      if (empty) empty.hidden = shown !== 0;
      var url = new URL(window.location.href);
      if (input.value) url.searchParams.set("q", input.value); else url.searchParams.delete("q");
      window.history.replaceState(null, "", url.toString());
    }

    var q = new URL(window.location.href).searchParams.get("q");
    if (q) input.value = q;
    input.addEventListener("input", apply);
    if (q) apply();

    var src = input.getAttribute("data-sr-index");
    if (src && window.fetch) {
      fetch(src, { credentials: "same-origin" })
        .then(function (r) { return r.ok ? r.json() : null; })
        .then(function (index) {
          if (!index || !index.collections) return;
          index.collections.forEach(function (c) {
            haystack[c.name] = [c.name, c.description || "", (c.tags || []).join(" "), (c.pending || []).join(" ")]
              .join(" ").toLowerCase();
          });
          input.setAttribute("data-sr-ready", "true");
          apply();
        })
        .catch(function () { /* the list text stays the search text */ });
    }
  }

  /* Copy buttons: data-sr-copy holds the text, or data-sr-copy-from names a sibling element. */
  function copyText(text) {
    if (navigator.clipboard && window.isSecureContext) {
      return navigator.clipboard.writeText(text).catch(function () { return legacyCopy(text); });
    }
    return Promise.resolve(legacyCopy(text));
  }
  function legacyCopy(text) {
    var area = document.createElement("textarea");
    area.value = text;
    area.setAttribute("readonly", "");
    area.style.position = "fixed";
    area.style.opacity = "0";
    document.body.appendChild(area);
    area.select();
    var ok = false;
    try { ok = document.execCommand("copy"); } catch (e) { ok = false; }
    document.body.removeChild(area);
    return ok;
  }
  function setupCopy() {
    document.addEventListener("click", function (event) {
      var button = event.target.closest ? event.target.closest(".sr-copy") : null;
      if (!button) return;
      var text = button.getAttribute("data-sr-copy");
      if (text === null) {
        var from = button.parentNode.querySelector(button.getAttribute("data-sr-copy-from") || "pre");
        text = from ? from.textContent : "";
      }
      copyText(text).then(function () {
        var label = button.textContent;
        button.classList.add("sr-copied");
        button.textContent = "Copied";
        window.setTimeout(function () { button.textContent = label; button.classList.remove("sr-copied"); }, 1500);
      });
    });
  }

  /* Usage: re-render every snippet for the picked tag. A site built without `url` renders
     https://HOST in its snippets: the browser knows the real origin, so it fills it in. */
  function renderSnippets(tag) {
    document.querySelectorAll("pre[data-sr-template]").forEach(function (pre) {
      var code = pre.querySelector("code") || pre;
      code.textContent = pre.getAttribute("data-sr-template").split("__TAG__").join(tag);
    });
  }
  function setupUsage() {
    var select = document.getElementById("sr-usage-tag");
    var unknown = document.querySelectorAll("[data-sr-site-unknown] pre[data-sr-template]");
    Array.prototype.forEach.call(unknown, function (pre) {
      var t = pre.getAttribute("data-sr-template");
      t = t.split("https://HOST").join(window.location.origin).split("HOST").join(window.location.host);
      pre.setAttribute("data-sr-template", t);
    });
    if (unknown.length) renderSnippets(select ? select.value : "");
    if (!select) return;
    select.addEventListener("change", function () { renderSnippets(select.value); });
  }

  function start() { setupFilter(); setupCopy(); setupUsage(); }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
