/* The query page's editor: SPARQL syntax highlighting over a plain <textarea>.
 *
 * The textarea stays the editor (so the page works without this script, and keyboard and screen
 * reader behaviour is the browser's own): its text is made transparent and a <pre> behind it shows
 * the same text coloured, re-rendered on every input and scrolled with it. Tab is left alone, so it
 * moves focus as everywhere; Ctrl+Enter (Cmd+Enter) runs the query; a "go to line:column" link of
 * an error message puts the caret there. Written for this project; nothing is loaded from elsewhere.
 */
(function () {
  "use strict";

  var KEYWORDS = (
    "BASE PREFIX SELECT CONSTRUCT DESCRIBE ASK WHERE FROM NAMED DISTINCT REDUCED AS GROUP BY " +
    "ORDER ASC DESC HAVING LIMIT OFFSET VALUES OPTIONAL UNION MINUS GRAPH SERVICE SILENT BIND " +
    "FILTER NOT EXISTS IN UNDEF SEPARATOR"
  ).split(" ");
  var FUNCTIONS = (
    "STR LANG LANGMATCHES DATATYPE BOUND IRI URI BNODE RAND ABS CEIL FLOOR ROUND CONCAT STRLEN " +
    "UCASE LCASE ENCODE_FOR_URI CONTAINS STRSTARTS STRENDS STRBEFORE STRAFTER YEAR MONTH DAY " +
    "HOURS MINUTES SECONDS TIMEZONE TZ NOW UUID STRUUID MD5 SHA1 SHA256 SHA384 SHA512 COALESCE IF " +
    "STRLANG STRDT SAMETERM ISIRI ISURI ISBLANK ISLITERAL ISNUMERIC REGEX SUBSTR REPLACE COUNT " +
    "SUM MIN MAX AVG SAMPLE GROUP_CONCAT"
  ).split(" ");

  /* One alternative per token class, tried in this order at each position. */
  var TOKEN_CLASSES = [
    ["comment", /#[^\n]*/],
    ["iri", /<[^<>"{}|^`\\\s]*>/],
    ["string", /"""[\s\S]*?(?:"""|$)|'''[\s\S]*?(?:'''|$)|"(?:[^"\\\n]|\\.)*"?|'(?:[^'\\\n]|\\.)*'?/],
    ["variable", /[?$][A-Za-z0-9_\u00B7-\uFFFF]+/],
    ["bnode", /_:[A-Za-z0-9_][\w.-]*/],
    ["lang", /@[A-Za-z]+(?:-[A-Za-z0-9]+)*/],
    ["pname", /(?:[A-Za-z][\w.-]*)?:(?:[\w:%-](?:[\w.:%-]*[\w:%-])?)?/],
    ["number", /\d+(?:\.\d*)?(?:[eE][+-]?\d+)?|\.\d+(?:[eE][+-]?\d+)?/],
    ["word", /[A-Za-z_][A-Za-z0-9_]*/],
  ];
  var TOKEN = new RegExp(
    TOKEN_CLASSES.map(function (c) { return "(" + c[1].source + ")"; }).join("|"),
    "g"
  );

  function escapeHtml(text) {
    return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
  }

  function wordClass(word) {
    var upper = word.toUpperCase();
    if (word === "a" || KEYWORDS.indexOf(upper) >= 0) return "keyword";
    if (FUNCTIONS.indexOf(upper) >= 0) return "function";
    if (upper === "TRUE" || upper === "FALSE") return "literal";
    return null;
  }

  /* The query text as HTML, each token in a <span class="tok-CLASS">. */
  function highlight(text) {
    var html = "";
    var position = 0;
    var match;
    TOKEN.lastIndex = 0;
    while ((match = TOKEN.exec(text)) !== null) {
      if (match[0] === "") { TOKEN.lastIndex += 1; continue; }
      html += escapeHtml(text.slice(position, match.index));
      var kind = null;
      for (var i = 0; i < TOKEN_CLASSES.length; i += 1) {
        if (match[i + 1] !== undefined) { kind = TOKEN_CLASSES[i][0]; break; }
      }
      if (kind === "word") kind = wordClass(match[0]);
      var token = escapeHtml(match[0]);
      html += kind ? '<span class="tok-' + kind + '">' + token + "</span>" : token;
      position = match.index + match[0].length;
    }
    return html + escapeHtml(text.slice(position));
  }

  /* The offset in text of 1-based line and column (clamped to the text). */
  function offsetOf(text, line, column) {
    var lines = text.split("\n");
    var offset = 0;
    for (var i = 0; i < Math.min(line - 1, lines.length - 1); i += 1) offset += lines[i].length + 1;
    var current = lines[Math.min(line - 1, lines.length - 1)] || "";
    return offset + Math.max(0, Math.min(column - 1, current.length));
  }

  function enhance(container) {
    var textarea = container.querySelector("textarea");
    if (!textarea) return;
    var overlay = document.createElement("pre");
    overlay.className = "editor-highlight";
    overlay.setAttribute("aria-hidden", "true");
    container.insertBefore(overlay, textarea);
    container.classList.add("enhanced");

    function render() {
      /* A trailing newline keeps the last (empty) line as tall as in the textarea. */
      overlay.innerHTML = highlight(textarea.value) + "\n";
      syncScroll();
    }
    function syncScroll() {
      /* Leave the textarea's scrollbars uncovered, so both boxes scroll over the same area. */
      var style = window.getComputedStyle(textarea);
      var borders = function (a, b) { return parseFloat(style[a]) + parseFloat(style[b]); };
      var right = textarea.offsetWidth - textarea.clientWidth - borders("borderLeftWidth", "borderRightWidth");
      var bottom = textarea.offsetHeight - textarea.clientHeight - borders("borderTopWidth", "borderBottomWidth");
      overlay.style.right = Math.max(0, right) + "px";
      overlay.style.bottom = Math.max(0, bottom) + "px";
      overlay.scrollTop = textarea.scrollTop;
      overlay.scrollLeft = textarea.scrollLeft;
    }
    textarea.addEventListener("input", render);
    textarea.addEventListener("scroll", syncScroll);
    if (window.ResizeObserver) new window.ResizeObserver(syncScroll).observe(textarea);
    textarea.addEventListener("keydown", function (event) {
      if (event.key === "Enter" && (event.ctrlKey || event.metaKey) && textarea.form) {
        event.preventDefault();
        if (textarea.form.requestSubmit) textarea.form.requestSubmit();
        else textarea.form.submit();
      }
    });
    render();
  }

  function goToError(event) {
    var link = event.currentTarget;
    var textarea = document.getElementById("query");
    if (!textarea) return;
    event.preventDefault();
    var offset = offsetOf(textarea.value, Number(link.dataset.line), Number(link.dataset.column));
    textarea.focus();
    textarea.setSelectionRange(offset, Math.min(offset + 1, textarea.value.length));
  }

  if (typeof document !== "undefined") {
    document.querySelectorAll("[data-editor]").forEach(enhance);
    document.querySelectorAll(".goto-error").forEach(function (link) {
      link.addEventListener("click", goToError);
    });
  }
  if (typeof module !== "undefined") {
    module.exports = { highlight: highlight, offsetOf: offsetOf };
  }
})();
