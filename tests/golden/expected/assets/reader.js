/* briefgen default theme: night theme, text size, copy link, print and the phone menu.
   Reading never needs it. */
(function () {
  "use strict";
  var root = document.documentElement;
  var THEME = "briefgen-theme", SIZE = "briefgen-size", MIN = -2, MAX = 3;
  var media = window.matchMedia ? window.matchMedia("(prefers-color-scheme: dark)") : null;

  function store(key, value) {
    try {
      if (value === null) localStorage.removeItem(key); else localStorage.setItem(key, value);
    } catch (e) { /* private mode: the choice lasts for this page only */ }
  }
  function isDark() {
    var chosen = root.getAttribute("data-theme");
    return chosen ? chosen === "dark" : !!(media && media.matches);
  }
  function size() {
    var value = parseInt(root.getAttribute("data-size") || "0", 10);
    return isNaN(value) ? 0 : Math.max(MIN, Math.min(MAX, value));
  }
  function each(selector, fn) {
    Array.prototype.forEach.call(document.querySelectorAll(selector), fn);
  }
  function sync() {
    var dark = isDark(), current = size();
    each("[data-action=theme]", function (b) { b.setAttribute("aria-pressed", String(dark)); });
    each("[data-action=smaller]", function (b) { b.disabled = current <= MIN; });
    each("[data-action=larger]", function (b) { b.disabled = current >= MAX; });
  }
  function setSize(value) {
    if (value) root.setAttribute("data-size", String(value)); else root.removeAttribute("data-size");
    store(SIZE, value ? String(value) : null);
  }
  function announce(text) {
    var status = document.getElementById("copy-status");
    if (!status) return;
    status.textContent = "";
    window.setTimeout(function () { status.textContent = text; }, 50);
  }
  function fallbackCopy(text) {
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
  /* The messages come from the page (the button's data-copied and data-copy-failed, in the
     page's language); {url} in a message is the link. */
  function copy(button) {
    var url = button.getAttribute("data-url") || location.href;
    function done(ok) {
      var text = button.getAttribute(ok ? "data-copied" : "data-copy-failed") || "";
      announce(text.split("{url}").join(url));
    }
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(url).then(function () { done(true); },
        function () { done(fallbackCopy(url)); });
    } else {
      done(fallbackCopy(url));
    }
  }

  /* The phone menu: the button's aria-expanded shows or hides the tools (style.css); Escape
     closes it and puts the focus back on the button. */
  function setMenu(button, open) {
    button.setAttribute("aria-expanded", String(open));
  }
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") return;
    each("[data-action=menu][aria-expanded=true]", function (button) {
      var tools = document.getElementById(button.getAttribute("aria-controls"));
      if (tools && tools.contains(document.activeElement)) button.focus();
      setMenu(button, false);
    });
  });

  document.addEventListener("click", function (event) {
    var button = event.target.closest ? event.target.closest("button[data-action]") : null;
    if (!button) return;
    var action = button.getAttribute("data-action");
    if (action === "theme") {
      var next = isDark() ? "light" : "dark";
      root.setAttribute("data-theme", next);
      store(THEME, next);
    } else if (action === "larger" || action === "smaller") {
      setSize(Math.max(MIN, Math.min(MAX, size() + (action === "larger" ? 1 : -1))));
    } else if (action === "copy") {
      copy(button);
    } else if (action === "print") {
      window.print();
    } else if (action === "menu") {
      setMenu(button, button.getAttribute("aria-expanded") !== "true");
    }
    sync();
  });
  if (media && media.addEventListener) media.addEventListener("change", sync);
  sync();
})();
