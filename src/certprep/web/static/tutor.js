// The tutor page: send the question to /tutor/stream and show the answer as it arrives.
// Without this script the form still works: GET /tutor?q=... renders the whole answer on the server.
(function () {
  "use strict";
  var form = document.getElementById("tutor-form");
  if (!form || !window.fetch || !window.TextDecoder) { return; }
  var input = document.getElementById("tutor-query");
  var packField = document.getElementById("tutor-pack");
  var button = document.getElementById("tutor-ask");
  var answerBox = document.getElementById("tutor-answer");
  var textBox = document.getElementById("tutor-text");
  var modeBox = document.getElementById("tutor-mode");
  var sourceBox = document.getElementById("tutor-source");
  var noteBox = document.getElementById("tutor-note");
  var sourcesBox = document.getElementById("tutor-sources");
  var list = document.getElementById("source-list");
  var csrf = document.querySelector('meta[name="csrf-token"]');

  function escapeHtml(text) {
    return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
  }

  // Inline Markdown the tutor uses: **bold**, `code`, and [n] citations that jump to the n-th source.
  function inline(text) {
    return escapeHtml(text)
      .replace(/\*\*([^*]+)\*\*/g, "<strong>$1</strong>")
      .replace(/`([^`]+)`/g, "<code>$1</code>")
      .replace(/\[(\d+)\]/g, '<a class="cite" href="#source-$1">[$1]</a>');
  }

  // Block Markdown: paragraphs, "- " and "1. " lists, and pipe tables (comparison tables).
  function render(text) {
    var html = [];
    text.split(/\n\s*\n/).forEach(function (block) {
      var lines = block.split("\n").filter(function (line) { return line.trim() !== ""; });
      if (!lines.length) { return; }
      if (lines.every(function (line) { return line.trim().charAt(0) === "|"; })) {
        var rows = lines.filter(function (line) { return !/^[\s|:-]+$/.test(line); });
        html.push("<table>" + rows.map(function (line, index) {
          var cells = line.trim().replace(/^\||\|$/g, "").split("|");
          var tag = index === 0 ? "th" : "td";
          return "<tr>" + cells.map(function (cell) { return "<" + tag + ">" + inline(cell.trim()) + "</" + tag + ">"; }).join("") + "</tr>";
        }).join("") + "</table>");
        return;
      }
      var out = [];
      var listTag = null;
      lines.forEach(function (line) {
        var bullet = /^\s*-\s+(.*)$/.exec(line);
        var numbered = /^\s*\d+\.\s+(.*)$/.exec(line);
        var item = bullet || numbered;
        var wanted = bullet ? "ul" : numbered ? "ol" : null;
        if (listTag && wanted !== listTag) { out.push("</" + listTag + ">"); listTag = null; }
        if (item) {
          if (!listTag) { out.push("<" + wanted + ">"); listTag = wanted; }
          out.push("<li>" + inline(item[1]) + "</li>");
        } else {
          out.push("<p>" + inline(line) + "</p>");
        }
      });
      if (listTag) { out.push("</" + listTag + ">"); }
      html.push(out.join(""));
    });
    return html.join("");
  }

  // The questions an answer cites become a practice session (answer first, explanation after), as on the page
  // rendered without JavaScript.
  function showPractise(passages) {
    var form = document.getElementById("tutor-practise");
    var holder = document.getElementById("tutor-practise-codes");
    if (!form || !holder) { return; }
    var codes = passages.filter(function (p) { return p.kind === "question"; })
      .map(function (p) { return p.id.replace(/^question-/, ""); });
    holder.textContent = "";
    codes.forEach(function (code) {
      var input = document.createElement("input");
      input.type = "hidden";
      input.name = "codes";
      input.value = code;
      holder.append(input);
    });
    document.getElementById("tutor-practise-button").textContent =
      codes.length === 1 ? "Practise this question" : "Practise these " + codes.length + " questions";
    form.action = "/packs/" + (packField.value || "") + "/practice";
    form.classList.toggle("is-hidden", codes.length === 0);
  }

  function showSources(passages) {
    showPractise(passages);
    list.textContent = "";
    passages.forEach(function (passage, index) {
      var item = document.createElement("li");
      item.className = "source";
      item.id = "source-" + (index + 1);
      var head = document.createElement("div");
      head.className = "source-head";
      var kind = document.createElement("span");
      kind.className = "pill kind-" + passage.kind;
      kind.textContent = passage.kind;
      var link = document.createElement("a");
      link.href = passage.url;
      link.textContent = passage.title;
      head.append(kind, " ", link);
      var details = document.createElement("details");
      var summary = document.createElement("summary");
      summary.textContent = "Full text";
      var body = document.createElement("div");
      body.className = "source-text";
      body.innerHTML = render(passage.text);
      details.append(summary, body);
      item.append(head, details);
      list.append(item);
    });
    sourcesBox.classList.toggle("is-empty", passages.length === 0);
  }

  function setNote(text) {
    noteBox.textContent = text || "";
    noteBox.classList.toggle("is-hidden", !text);
  }

  function handle(event, state) {
    if (event.event === "start") {
      modeBox.textContent = event.mode;
      sourceBox.textContent = event.label;
      showSources(event.passages || []);
    } else if (event.event === "delta") {
      state.text += event.text;
      textBox.innerHTML = render(state.text);
    } else if (event.event === "reset") {
      state.text = "";
      textBox.innerHTML = "";
      sourceBox.textContent = event.label;
      setNote(event.note);
    } else if (event.event === "end") {
      sourceBox.textContent = event.label;
      setNote(event.note);
      textBox.classList.toggle("refused", !!event.refused);
    }
  }

  async function ask(query, pack) {
    var state = { text: "" };
    answerBox.classList.remove("is-empty");
    textBox.classList.remove("refused");
    textBox.innerHTML = '<p class="muted">Thinking…</p>';
    modeBox.textContent = "";
    sourceBox.textContent = "";
    setNote("");
    button.disabled = true;
    try {
      var headers = { "Content-Type": "application/json" };
      if (csrf && csrf.content) { headers["X-CSRF-Token"] = csrf.content; }
      var response = await fetch("/tutor/stream", {
        method: "POST", headers: headers, body: JSON.stringify({ query: query, pack: pack || null }),
      });
      if (!response.ok) {
        var problem = await response.json().catch(function () { return {}; });
        textBox.innerHTML = "<p>" + escapeHtml(problem.detail || ("The tutor failed (HTTP " + response.status + ").")) + "</p>";
        return;
      }
      var reader = response.body.getReader();
      var decoder = new TextDecoder();
      var buffer = "";
      textBox.innerHTML = "";
      for (;;) {
        var chunk = await reader.read();
        if (chunk.done) { break; }
        buffer += decoder.decode(chunk.value, { stream: true });
        var lines = buffer.split("\n");
        buffer = lines.pop();
        lines.forEach(function (line) { if (line.trim()) { handle(JSON.parse(line), state); } });
      }
      if (buffer.trim()) { handle(JSON.parse(buffer), state); }
    } catch (error) {
      textBox.innerHTML = "<p>The tutor could not be reached: " + escapeHtml(String(error)) + "</p>";
    } finally {
      button.disabled = false;
    }
  }

  function submit(query) {
    var pack = packField ? packField.value : "";
    var url = "/tutor?q=" + encodeURIComponent(query) + (pack ? "&pack=" + encodeURIComponent(pack) : "");
    history.replaceState(null, "", url);
    ask(query, pack);
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    if (input.value.trim()) { submit(input.value.trim()); }
  });
  document.querySelectorAll(".tutor-example").forEach(function (link) {
    link.addEventListener("click", function (event) {
      event.preventDefault();
      input.value = link.textContent;
      submit(link.textContent);
    });
  });
})();
