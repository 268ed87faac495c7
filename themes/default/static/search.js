/* briefgen default theme: the search page, on Pagefind's JavaScript API (all files local). */
(function () {
  "use strict";
  var script = document.currentScript;
  var bundle = script.getAttribute("data-bundle"), base = script.getAttribute("data-base");
  var form = document.querySelector(".search-form");
  var query = document.getElementById("search-query");
  var category = document.getElementById("search-category");
  var language = document.getElementById("search-language");
  var status = document.getElementById("search-status");
  var list = document.getElementById("search-results");
  var loading = null, counter = 0, LIMIT = 20, SCAN = 200;

  function pagefind() {
    if (!loading) {
      /* from the page, not from this script: with relative_urls the bundle is "../pagefind/" */
      loading = import(new URL(bundle + "pagefind.js", document.baseURI).href).then(function (pf) {
        return pf.options({ baseUrl: base }).then(function () { return pf; });
      });
    }
    return loading;
  }
  /* Pagefind's excerpt is text with <mark> around hits: keep exactly those, as DOM nodes. */
  function excerpt(html) {
    var out = document.createElement("p"), doc = new DOMParser().parseFromString(html, "text/html");
    out.className = "excerpt";
    Array.prototype.forEach.call(doc.body.childNodes, function (node) {
      if (node.nodeName === "MARK") {
        var mark = document.createElement("mark");
        mark.textContent = node.textContent;
        out.appendChild(mark);
      } else {
        out.appendChild(document.createTextNode(node.textContent));
      }
    });
    return out;
  }
  function show(results, term) {
    list.textContent = "";
    results.forEach(function (data) {
      var item = document.createElement("li"), heading = document.createElement("h2");
      var link = document.createElement("a");
      link.href = data.url;
      link.textContent = (data.meta && data.meta.title) || data.url;
      heading.appendChild(link);
      item.appendChild(heading);
      var meta = data.meta || {};
      if (meta.category || meta.type) {
        var label = document.createElement("p");
        label.className = "section";
        label.textContent = meta.category || meta.type;
        item.appendChild(label);
      }
      item.appendChild(excerpt(data.excerpt || ""));
      list.appendChild(item);
    });
  }
  function matches(data, filters) {
    var meta = data.meta || {};
    return Object.keys(filters).every(function (name) { return meta[name] === filters[name]; });
  }
  /* Section and language are page metadata: read results in order until enough match. */
  function collect(results, filters) {
    var found = [], start = 0, filtered = Object.keys(filters).length > 0;
    var last = filtered ? Math.min(results.length, SCAN) : Math.min(results.length, LIMIT);
    function next() {
      if (start >= last || found.length >= LIMIT) return Promise.resolve(found);
      var batch = results.slice(start, start + 10);
      start += 10;
      return Promise.all(batch.map(function (r) { return r.data(); })).then(function (items) {
        items.forEach(function (data) { if (matches(data, filters)) found.push(data); });
        return next();
      });
    }
    return next();
  }
  /* Messages come from #search-status's data-* attributes, in the page's language; a count
     picks its plural form (data-results-one, -few, -many, -other...) with Intl.PluralRules. */
  var plurals = window.Intl && Intl.PluralRules
    ? new Intl.PluralRules(document.documentElement.lang || "en") : null;
  function fill(text, values) {
    return (text || "").replace(/\{(\w+)\}/g, function (all, name) {
      return Object.prototype.hasOwnProperty.call(values, name) ? String(values[name]) : all;
    });
  }
  function message(name, values) {
    var text = null;
    if ("count" in values) {
      var form = plurals ? plurals.select(values.count) : (values.count === 1 ? "one" : "other");
      text = status.getAttribute("data-" + name + "-" + form) ||
        status.getAttribute("data-" + name + "-other") ||
        status.getAttribute("data-" + name + "-many");
    } else {
      text = status.getAttribute("data-" + name);
    }
    return fill(text, values);
  }
  function describe(count, more, term, shown) {
    if (!count) return message("none", { term: term });
    if (shown) return message("first", { count: count, term: term, shown: shown });
    return message(more ? "more" : "results", { count: count, term: term });
  }
  function run(push) {
    var term = query.value.trim(), filters = {}, mine = ++counter;
    if (category.value) filters.category = category.value;
    if (language && language.value) filters.language = language.value;
    if (push) {
      var params = new URLSearchParams();
      if (term) params.set("q", term);
      Object.keys(filters).forEach(function (name) { params.set(name, filters[name]); });
      history.replaceState(null, "", "?" + params.toString());
    }
    if (!term) {
      list.textContent = "";
      status.textContent = "";
      return;
    }
    status.textContent = message("searching", {});
    pagefind().then(function (pf) { return pf.search(term); }).then(function (search) {
      if (mine !== counter || !search) return null;
      var filtered = Object.keys(filters).length > 0;
      return collect(search.results, filters).then(function (found) {
        if (mine !== counter) return;
        show(found.slice(0, LIMIT), term);
        var count = filtered ? found.length : search.results.length;
        var more = filtered && found.length >= LIMIT;
        status.textContent = describe(count, more, term,
                                      count > LIMIT && !filtered ? LIMIT : 0);
      });
    }).catch(function () {
      status.textContent = message("unavailable", {});
    });
  }

  var params = new URLSearchParams(location.search);
  query.value = params.get("q") || "";
  category.value = params.get("category") || "";
  if (language) language.value = params.get("language") || "";
  run(false);
  form.addEventListener("submit", function (event) { event.preventDefault(); run(true); });
  var timer = null;
  query.addEventListener("input", function () {
    window.clearTimeout(timer);
    timer = window.setTimeout(function () { run(true); }, 250);
  });
  category.addEventListener("change", function () { run(true); });
  if (language) language.addEventListener("change", function () { run(true); });
})();
