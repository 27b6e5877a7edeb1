// The review page's behaviour: keyboard navigation, saving without a reload,
// conflicts shown side by side. Text from the server is only ever written
// with textContent or .value, never parsed as HTML.
"use strict";

(function () {
  const token = document.querySelector('meta[name="csrf-token"]').content;
  const units = Array.from(document.querySelectorAll("[data-unit]"));
  const STATE_LABELS = {
    "untranslated": "untranslated",
    "mt-draft": "MT draft",
    "needs-update": "needs update",
    "translated": "translated, not reviewed",
    "reviewed": "reviewed",
  };
  let current = -1;

  // -- filters: apply as soon as a choice changes ---------------------------
  const filters = document.querySelector("[data-filters]");
  if (filters) {
    filters.querySelectorAll("select").forEach((select) =>
      select.addEventListener("change", () => filters.submit()));
  }

  // -- moving between units --------------------------------------------------
  function focusUnit(index, intoField) {
    if (index < 0 || index >= units.length) return;
    if (current >= 0) units[current].classList.remove("current");
    current = index;
    const unit = units[current];
    unit.classList.add("current");
    unit.scrollIntoView({ block: "center" });
    if (intoField) {
      const field = unit.querySelector("[data-text]");
      field.focus({ preventScroll: true });
      field.setSelectionRange(field.value.length, field.value.length);
    } else {
      unit.focus({ preventScroll: true });
    }
  }

  function indexOf(element) {
    const unit = element.closest("[data-unit]");
    return unit ? units.indexOf(unit) : -1;
  }

  document.addEventListener("keydown", (event) => {
    const inField = event.target.matches("textarea, input, select");
    const here = inField ? indexOf(event.target) : current;
    if (event.altKey && (event.key === "ArrowDown" || event.key === "ArrowUp")) {
      event.preventDefault();
      focusUnit(Math.max(0, here + (event.key === "ArrowDown" ? 1 : -1)), true);
    } else if (event.ctrlKey && event.key === "Enter" && here >= 0) {
      event.preventDefault();
      send(units[here], "review").then((ok) => {
        if (ok && !units[here].classList.contains("dirty")) focusUnit(here + 1, true);  // typed meanwhile: stay
      });
    } else if (event.ctrlKey && (event.key === "s" || event.key === "S") && here >= 0) {
      event.preventDefault();
      send(units[here], "save");
    } else if (event.key === "Escape" && inField && here >= 0) {
      focusUnit(here, false);
    } else if (!inField && !event.ctrlKey && !event.altKey && !event.metaKey) {
      if (event.key === "j") focusUnit(Math.max(0, current + 1), false);
      else if (event.key === "k") focusUnit(Math.max(0, current - 1), false);
      else if (event.key === "Enter" && current >= 0) {
        event.preventDefault();
        focusUnit(current, true);
      } else return;
    }
  });

  // -- editing ----------------------------------------------------------------
  units.forEach((unit) => {
    const field = unit.querySelector("[data-text]");
    field.dataset.saved = field.value;
    unit.dataset.canRevert = !unit.querySelector("[data-action=revert]").disabled;
    fitHeight(field);
    field.addEventListener("input", () => {
      fitHeight(field);
      setDirty(unit, field.value !== field.dataset.saved);
    });
    field.addEventListener("focus", () => {
      if (current >= 0) units[current].classList.remove("current");
      current = units.indexOf(unit);
      unit.classList.add("current");
    });
    unit.querySelectorAll("[data-action]").forEach((button) =>
      button.addEventListener("click", () => send(unit, button.dataset.action)));
    unit.querySelector("[data-resolve=mine]").addEventListener("click", () => resolve(unit, "mine"));
    unit.querySelector("[data-resolve=theirs]").addEventListener("click", () => resolve(unit, "theirs"));
    // Silence buttons are rebuilt with the findings: one listener on the unit serves them all.
    unit.addEventListener("click", (event) => {
      const silence = event.target.closest("[data-silence]");
      const unsilence = event.target.closest("[data-unsilence]");
      if (silence) send(unit, "silence", { check: silence.dataset.silence });
      else if (unsilence) send(unit, "unsilence", { check: unsilence.dataset.unsilence });
    });
    const take = (text) => {
      field.value = text;
      fitHeight(field);
      setDirty(unit, field.value !== field.dataset.saved);
      field.focus();
    };
    const useSuggestion = unit.querySelector("[data-use-suggestion]");
    if (useSuggestion) {
      useSuggestion.addEventListener("click", () => take(unit.querySelector("[data-suggestion]").textContent));
    }
    unit.querySelectorAll("[data-match]").forEach((match) => match.querySelector("[data-use-match]")
      .addEventListener("click", () => take(match.querySelector("[data-match-text]").textContent)));
  });

  window.addEventListener("beforeunload", (event) => {
    if (document.querySelector("[data-unit].dirty")) event.preventDefault();
  });

  function fitHeight(field) {
    field.style.height = "auto";
    field.style.height = field.scrollHeight + 2 + "px";
  }

  function setDirty(unit, dirty) {
    unit.classList.toggle("dirty", dirty);
    say(unit, dirty ? "not saved" : "", "");
  }

  function say(unit, text, kind) {
    const message = unit.querySelector("[data-message]");
    message.textContent = text;
    message.className = "message " + (kind || "");
  }

  // One request per unit at a time: a second one would carry the old version
  // and come back as a false conflict.
  async function send(unit, action, extra) {
    if (unit.classList.contains("busy")) return false;
    setBusy(unit, true);
    try {
      return await exchange(unit, action, extra || {});
    } finally {
      setBusy(unit, false);
    }
  }

  function setBusy(unit, busy) {
    unit.classList.toggle("busy", busy);
    unit.querySelectorAll("[data-action]").forEach((button) => {
      button.disabled = busy || (button.dataset.action === "revert" && unit.dataset.canRevert !== "true");
    });
  }

  async function exchange(unit, action, extra) {
    const field = unit.querySelector("[data-text]");
    const yours = field.value;
    say(unit, "saving…", "");
    let response, body;
    try {
      response = await fetch(unit.dataset.url, {
        method: "POST",
        credentials: "same-origin",
        headers: { "Content-Type": "application/json", "X-CSRF-Token": token },
        body: JSON.stringify(Object.assign({ action: action, text: yours, version: unit.dataset.version }, extra)),
      });
      body = await response.json();
    } catch (error) {
      say(unit, "not saved: the review server does not answer", "error");
      return false;
    }
    if (response.status === 409) {
      unit._attempt = { action: action, extra: extra };  // "Keep mine" sends it again
      showConflict(unit, body);
      return false;
    }
    if (response.status === 428) {  // approving a text with QA errors: ask first
      const errors = body.confirm.map((f) => "- " + f.check + ": " + f.message).join("\n");
      if (window.confirm("This text has QA errors:\n" + errors + "\n\nMark it reviewed anyway?")) {
        return exchange(unit, action, Object.assign({}, extra, { confirmed: true }));
      }
      say(unit, "not marked reviewed: fix the QA errors, or confirm", "error");
      return false;
    }
    if (!response.ok) {
      say(unit, "not saved: " + (body.error || response.statusText), "error");
      return false;
    }
    showUnit(unit, body.unit, yours);
    showProgress(body.progress);
    const done = { save: "saved", review: "reviewed ✓", revert: "back to the MT draft" }[action];
    if (unit.classList.contains("dirty")) say(unit, done + "; what you typed since is not saved", "");
    else say(unit, done, "ok");
    return true;
  }

  // -- showing what the server says -------------------------------------------
  // sent: the text the request carried; anything typed after it is kept, unsaved.
  function showUnit(unit, data, sent) {
    const field = unit.querySelector("[data-text]");
    const typedMeanwhile = sent !== undefined && field.value !== sent;
    unit.dataset.version = data.version;
    if (!typedMeanwhile) field.value = data.msgstr;
    field.dataset.saved = data.msgstr;
    fitHeight(field);
    unit.classList.remove("conflicted");
    unit.classList.toggle("dirty", field.value !== data.msgstr);
    unit.querySelector("[data-conflict]").hidden = true;
    for (const state of Object.keys(STATE_LABELS)) unit.classList.toggle("state-" + state, state === data.state);
    unit.querySelector("[data-state]").textContent = STATE_LABELS[data.state] || data.state;
    unit.querySelector("[data-edited]").hidden = !data.edited;
    unit.dataset.canRevert = data.can_revert;
    setBusy(unit, unit.classList.contains("busy"));
    const list = unit.querySelector("[data-findings]");
    list.replaceChildren(...data.findings.map(findingItem));
    const silenced = unit.querySelector("[data-silenced]");
    silenced.replaceChildren("Silenced here: ", ...data.silenced.map((name) =>
      linkButton(name + " ×", { unsilence: name }, "Take '" + name + "' out of this unit's '# qa-skip:' line")));
    silenced.hidden = data.silenced.length === 0;
  }

  function findingItem(finding) {
    const item = document.createElement("li");
    item.className = "finding " + finding.severity;
    const check = document.createElement("span");
    check.className = "check";
    check.textContent = finding.check;
    item.append(check, " " + finding.message + " ",
      linkButton("silence", { silence: finding.check }, "Add '# qa-skip: " + finding.check + "' to this unit"));
    return item;
  }

  function linkButton(text, data, title) {
    const button = document.createElement("button");
    button.type = "button";
    button.className = "link";
    button.textContent = text;
    button.title = title;
    Object.assign(button.dataset, data);
    return button;
  }

  function showProgress(progress) {
    document.querySelectorAll("[data-progress]").forEach((box) => {
      box.querySelector("[data-fill]").value = progress.percent_words;
      box.querySelector("[data-figure=units]").textContent =
        progress.reviewed_units + " / " + progress.units + " units";
      box.querySelector("[data-figure=words]").textContent =
        progress.reviewed_words + " / " + progress.words + " words";
      box.querySelector("[data-figure=percent_units]").textContent = progress.percent_units.toFixed(1);
      box.querySelector("[data-figure=percent_words]").textContent = progress.percent_words.toFixed(1);
      for (const [state, count] of Object.entries(progress.units_by_state)) {
        const chip = box.querySelector('[data-state-count="' + state + '"]');
        if (chip) chip.textContent = count;
      }
    });
  }

  function showConflict(unit, body) {
    const panel = unit.querySelector("[data-conflict]");
    unit.classList.add("conflicted");
    panel.hidden = false;
    panel.querySelector("[data-conflict-message]").textContent =
      body.error + ". Nothing was saved; your text is still in the field.";
    panel.querySelector("[data-yours]").textContent = body.yours;
    const theirs = body.theirs;
    panel.querySelector("[data-theirs]").textContent = theirs
      ? theirs.msgstr || "(empty)"
      : "(this sentence is gone: copy your text, then reload the page)";
    panel.querySelector("[data-theirs-state]").textContent = theirs ? STATE_LABELS[theirs.state] || theirs.state : "";
    panel.querySelector("[data-resolve=mine]").disabled = !theirs;
    panel.querySelector("[data-resolve=theirs]").disabled = !theirs;
    unit._theirs = theirs;
    say(unit, "conflict: not saved", "error");
  }

  function resolve(unit, choice) {
    const theirs = unit._theirs;
    if (!theirs) return;
    const field = unit.querySelector("[data-text]");
    if (choice === "theirs") {
      showUnit(unit, theirs);
      say(unit, "took their version", "ok");
    } else {
      // Keep the reviewer's text, on top of their version: send what was refused again.
      const yours = field.value;
      showUnit(unit, theirs);
      field.value = yours;
      fitHeight(field);
      setDirty(unit, yours !== theirs.msgstr);
      const attempt = unit._attempt || { action: "save", extra: {} };
      send(unit, attempt.action, attempt.extra);
    }
  }
})();
