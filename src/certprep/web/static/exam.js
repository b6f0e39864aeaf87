// certprep exam page: countdown, autosave of every answer, strike-out, keyboard shortcuts.
// The page works without this script (plain form posts); this only makes it faster and closer to the real exam.
(function () {
  "use strict";

  // --- times: the server writes them in UTC; they are shown in the learner's own time zone, the zone's name beside
  document.querySelectorAll("time[data-local]").forEach((element) => {
    const when = new Date(element.getAttribute("datetime"));
    if (Number.isNaN(when.getTime())) return;
    element.title = element.textContent;
    element.textContent = when.toLocaleString(undefined, {
      year: "numeric", month: "short", day: "numeric", hour: "2-digit", minute: "2-digit", timeZoneName: "short",
    });
  });

  const bar = document.getElementById("exambar");
  // Hosted mode refuses unsafe requests without the page's CSRF token (empty and unchecked in local mode).
  const csrfMeta = document.querySelector('meta[name="csrf-token"]');
  const csrfToken = csrfMeta ? csrfMeta.content : "";
  const attemptId = bar ? bar.dataset.attempt : null;

  // --- countdown: the server's remaining seconds are the truth; at zero the attempt is submitted ---
  const timer = document.getElementById("timer");
  if (bar && timer && bar.dataset.remaining !== undefined) {
    const deadline = Date.now() + Number(bar.dataset.remaining) * 1000;
    const pad = (n) => String(n).padStart(2, "0");
    let submitted = false;
    const tick = () => {
      const left = Math.max(0, Math.round((deadline - Date.now()) / 1000));
      timer.textContent = Math.floor(left / 3600) + ":" + pad(Math.floor((left % 3600) / 60)) + ":" + pad(left % 60);
      timer.classList.toggle("low", left <= 300);
      if (left === 0 && !submitted) {
        submitted = true;
        const form = document.createElement("form");
        form.method = "post";
        form.action = "/attempts/" + attemptId + "/submit";
        const token = document.createElement("input");
        token.type = "hidden";
        token.name = "csrf_token";
        token.value = csrfToken;
        form.appendChild(token);
        document.body.appendChild(form);
        form.submit();
      }
    };
    tick();
    setInterval(tick, 1000);
  }

  const form = document.getElementById("question-form");
  if (!form || !attemptId) return;
  const position = form.dataset.position;
  const maxSelect = Number(form.dataset.select);
  const locked = form.dataset.locked === "true";
  const status = document.getElementById("save-status");
  const url = "/api/v1/exams/" + attemptId + "/answers/" + position;

  const selected = () => Array.from(form.querySelectorAll("input[name=selected]:checked")).map((i) => i.value);
  const struck = () => Array.from(form.querySelectorAll(".option.struck")).map((o) => o.dataset.option);
  const flagBox = document.getElementById("flag");

  // --- the exam bar's "N of M answered · F flagged" follows this question's saved state at once ---
  const progress = bar ? bar.querySelector(".exambar-progress") : null;
  const others = {
    answered: Number(bar && bar.dataset.answered) - (selected().length > 0 ? 1 : 0),
    flagged: Number(bar && bar.dataset.flagged) - (flagBox && flagBox.checked ? 1 : 0),
  };
  const showProgress = () => {
    if (!progress || bar.dataset.answered === undefined) return;
    const answered = others.answered + (selected().length > 0 ? 1 : 0);
    const flagged = others.flagged + (flagBox && flagBox.checked ? 1 : 0);
    progress.textContent = answered + " of " + bar.dataset.total + " answered · " + flagged + " flagged";
  };

  // --- autosave that loses nothing: the newest choice of this question waits in localStorage until the server has
  // it; a failed save is retried with backoff (1 s, 2 s, 4 s ... 30 s), and a page opened later sends what an
  // earlier one could not. Only a refusal (4xx) is final: the server said why, and retrying would not change it.
  const pendingKey = "certprep-unsaved:" + attemptId + ":" + position;
  let pending = null;
  let sending = false;
  let retryDelay = 1000;
  let retryTimer = null;

  const remember = () => {
    try {
      if (pending) localStorage.setItem(pendingKey, JSON.stringify(pending));
      else localStorage.removeItem(pendingKey);
    } catch (error) {
      /* private mode without storage: the retries below still run while the page is open */
    }
  };

  async function flush() {
    if (sending || !pending) return;
    sending = true;
    const body = pending;
    status.textContent = "Saving…";
    let retry = false;
    try {
      const response = await fetch(url, {
        method: "PUT",
        headers: { "Content-Type": "application/json", Accept: "application/json", "X-CSRF-Token": csrfToken },
        body: JSON.stringify(body),
      });
      if (response.ok || (response.status >= 400 && response.status < 500)) {
        if (pending === body) pending = null;
        remember();
        retryDelay = 1000;
        if (response.ok) {
          status.textContent = pending ? "Saving…" : "Saved";
          showProgress();
        }
        else {
          const detail = await response.json().catch(() => ({}));
          status.textContent = "Not saved: " + (detail.detail || response.status);
        }
      } else {
        retry = true; // 5xx: the server or its database is away for now
      }
    } catch (error) {
      retry = true; // offline, or the server restarts
    }
    sending = false;
    if (retry) {
      const seconds = Math.round(retryDelay / 1000);
      status.textContent = "Offline — your answer is kept here and sent again in " + seconds + " s.";
      clearTimeout(retryTimer);
      retryTimer = setTimeout(flush, retryDelay);
      retryDelay = Math.min(retryDelay * 2, 30000);
    } else if (pending) {
      flush();
    }
  }

  // Each save carries a sequence number that only grows (milliseconds since 1970, times 1000, plus a counter), so
  // the server keeps the newest choice even when an earlier save (a retry, another tab) arrives after it.
  let counter = 0;
  const nextSeq = () => Date.now() * 1000 + (counter++ % 1000);

  function save(change) {
    pending = Object.assign({}, pending || {}, change, { seq: nextSeq() });
    remember();
    clearTimeout(retryTimer);
    retryDelay = 1000;
    flush();
  }

  try {
    let left = JSON.parse(localStorage.getItem(pendingKey) || "null");
    if (left && locked) {
      // The answer was checked while this choice was still on its way (the check's form post carried it): the
      // server holds it as final, so only a flag or strike-out change is left to send.
      delete left.selected;
      if (left.flagged === undefined && left.struck === undefined) {
        left = null;
        pending = null;
        remember();
      }
    }
    if (left) {
      // An earlier visit could not save this: show it as chosen and send it now.
      if (Array.isArray(left.selected) && !locked) {
        form.querySelectorAll("input[name=selected]").forEach((input) => {
          input.checked = left.selected.includes(input.value);
        });
      }
      save(left);
    }
  } catch (error) {
    /* nothing kept */
  }
  window.addEventListener("online", () => {
    clearTimeout(retryTimer);
    retryDelay = 1000;
    flush();
  });

  form.addEventListener("change", (event) => {
    const input = event.target;
    if (input.name === "selected" && !locked) {
      if (input.type === "checkbox" && selected().length > maxSelect) {
        input.checked = false;
        status.textContent = "Choose at most " + maxSelect + " options.";
        return;
      }
      // Choosing an option that was struck out takes the strike back: an answer is never both.
      const option = input.closest(".option");
      if (input.checked && option && option.classList.contains("struck")) {
        option.classList.remove("struck");
        save({ selected: selected(), struck: struck() });
        return;
      }
      save({ selected: selected() });
    } else if (input.name === "flagged") {
      save({ flagged: input.checked });
    }
  });

  form.querySelectorAll("button.strike").forEach((button) => {
    button.addEventListener("click", () => {
      const option = button.closest(".option");
      const striking = !option.classList.contains("struck");
      option.classList.toggle("struck", striking);
      const input = option.querySelector("input[name=selected]");
      if (striking && input && input.checked && !locked) {
        input.checked = false; // striking out the chosen option takes the choice back
        save({ selected: selected(), struck: struck() });
        return;
      }
      save({ struck: struck() });
    });
  });

  document.addEventListener("keydown", (event) => {
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    const tag = (event.target.tagName || "").toLowerCase();
    if (tag === "select" || (tag === "input" && event.target.type === "number")) return;
    if (event.key === "Enter" && tag !== "button" && tag !== "a") {
      // Enter checks the answer in practice (C is an option letter) and moves on otherwise; without this a form's
      // Enter would press its first button, Previous.
      const check = form.querySelector('button[value="check"]');
      const target = check && !check.disabled ? check : form.querySelector('button[value="next"]');
      if (target) {
        event.preventDefault();
        target.click();
      }
      return;
    }
    const key = event.key.toLowerCase();
    // Options answer to their letter or to their number (1 = A).
    const letter = /^[1-8]$/.test(key) ? String.fromCharCode(64 + Number(key)) : key.toUpperCase();
    const option = form.querySelector('.option[data-option="' + letter + '"] input');
    if (option && key.length === 1 && !locked && key !== "m") {
      option.click();
      event.preventDefault();
      return;
    }
    if (key === "m") {
      document.getElementById("flag").click();
      return;
    }
    const button = form.querySelector('button[data-key="' + key + '"]');
    if (button && !button.disabled) button.click();
  });
})();
