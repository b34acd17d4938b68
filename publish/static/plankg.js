/* plankg query page: the SPARQL editor (CodeMirror 5, bundled) and results as a table.
   Every value is put in the page with textContent, never as markup. */
(function () {
  "use strict";
  var form = document.getElementById("sparql-form");
  var area = document.getElementById("sparql");
  var out = document.getElementById("sparql-results");
  if (!form || !area || !out) return;
  var editor = null;
  if (window.CodeMirror) {
    editor = window.CodeMirror.fromTextArea(area, { mode: "application/sparql-query", lineNumbers: true, indentUnit: 2, viewportMargin: Infinity });
    window.plankgEditor = editor;
    editor.getInputField().setAttribute("aria-label", "SPARQL");
  }
  var idBase = form.dataset.idBase, prefix = form.dataset.prefix;

  function el(tag, text, cls) {
    var e = document.createElement(tag);
    if (text !== undefined && text !== null) e.textContent = text;
    if (cls) e.className = cls;
    return e;
  }
  function cell(term) {
    var td = el("td");
    if (!term) return td;
    if (term.type === "uri") {
      var a = el("a", term.value.indexOf(idBase) === 0 ? term.value.slice(idBase.length) : term.value);
      a.href = term.value.indexOf(idBase) === 0 ? prefix + "doc/" + term.value.slice(idBase.length) : term.value;
      a.title = term.value;
      td.appendChild(a);
    } else if (term.type === "literal") {
      var s = el("span", term.value);
      if (term["xml:lang"]) s.lang = term["xml:lang"];
      td.appendChild(s);
      var note = term["xml:lang"] || (term.datatype ? term.datatype.split("#").pop() : "");
      if (note) { td.appendChild(document.createTextNode(" ")); td.appendChild(el("small", note, "note")); }
    } else if (term.type === "bnode") {
      td.textContent = "_:" + term.value;
    } else {
      td.textContent = JSON.stringify(term.value);
    }
    return td;
  }
  function showTable(data, truncated) {
    out.textContent = "";
    if (truncated) {
      var t = el("p", "⚠ " + form.dataset.truncated + ": " + form.dataset.rowLimit + " " + form.dataset.rows + " (X-Plankg-Truncated: true)", "truncated");
      t.id = "truncated-notice"; out.appendChild(t);
    }
    if (typeof data.boolean === "boolean") { out.appendChild(el("p", "ASK → " + data.boolean, "boolean")); return; }
    var vars = data.head.vars, rows = data.results.bindings;
    if (!rows.length) { out.appendChild(el("p", form.dataset.noResults, "empty")); return; }
    out.appendChild(el("p", rows.length + " " + form.dataset.rows, "count"));
    var wrap = el("div", null, "scroll"), table = el("table", null, "data results"), head = el("tr");
    vars.forEach(function (v) { head.appendChild(el("th", v)); });
    var thead = el("thead"); thead.appendChild(head); table.appendChild(thead);
    var body = el("tbody");
    rows.forEach(function (b) {
      var tr = el("tr");
      vars.forEach(function (v) { tr.appendChild(cell(b[v])); });
      body.appendChild(tr);
    });
    table.appendChild(body); wrap.appendChild(table); out.appendChild(wrap);
  }
  form.addEventListener("submit", function (ev) {
    var fmt = document.getElementById("sparql-format").value;
    if (editor) editor.save();
    if (fmt !== "html") return; /* a download in the chosen format: let the browser do it */
    ev.preventDefault();
    out.textContent = "…";
    fetch(form.action.split("?")[0], {
      method: "POST",
      headers: { "Content-Type": "application/sparql-query", "Accept": "application/sparql-results+json, text/turtle;q=0.9" },
      body: area.value
    }).then(function (r) {
      return r.text().then(function (text) { return { r: r, text: text }; });
    }).then(function (x) {
      if (!x.r.ok) { out.textContent = ""; var e = el("p", x.r.status + " — " + x.text, "error-message"); e.id = "sparql-error"; e.setAttribute("role", "alert"); out.appendChild(e); return; }
      var type = x.r.headers.get("Content-Type") || "";
      var truncated = x.r.headers.get("X-Plankg-Truncated") === "true";
      if (type.indexOf("json") >= 0) { showTable(JSON.parse(x.text), truncated); }
      else { out.textContent = ""; out.appendChild(el("pre", x.text, "graph")); }
    }).catch(function (err) { out.textContent = String(err); });
  });
})();
