// A compilation section's editor (blog.CompilationSectionPage: each section is a page of its own),
// made to fit a long list of entries.
// - After Save draft (or any save), the entries that were open are open again and the one being
//   edited is at the top of the view: Wagtail reloads the page from the top.
// - The Entries panel's header shows the entry count and the reviewed date.
// - The "+" buttons say what they add: "Add entry".
// - Entries whose link the last link check found broken or redirected say so under their URL,
//   and the Entries header counts them (the link report's data, linkhealth/views.py).
(function () {
  "use strict";

  var KEY = "compilation-editor:" + window.location.pathname;
  var BLOCK_RE = /^block-(.+)-content$/;

  function form() {
    return document.querySelector("form[data-edit-form]") || document.querySelector("main form");
  }

  // The section's entries: the form's own StreamField.
  function entriesField() {
    return document.querySelector("[data-contentpath='entries']");
  }

  function outermostPanel(element) {
    var panel = element && element.closest ? element.closest("section.w-panel[data-panel]") : null;
    var outer = null;
    while (panel) {
      var own = toggleOf(panel);
      if (own && BLOCK_RE.test(own.getAttribute("aria-controls") || "")) {
        outer = panel; // an entry's panel, not a field's
      }
      panel = panel.parentElement ? panel.parentElement.closest("section.w-panel[data-panel]") : null;
    }
    return outer;
  }

  function toggleOf(panel) {
    return panel ? panel.querySelector(":scope > .w-panel__header [data-panel-toggle]") : null;
  }

  // Remembering and restoring the open entries ------------------------------------------------

  var active = null;

  function remember() {
    var open = [];
    document.querySelectorAll("[data-panel-toggle][aria-controls^='block-']").forEach(function (t) {
      var match = BLOCK_RE.exec(t.getAttribute("aria-controls"));
      if (match && t.getAttribute("aria-expanded") === "true") {
        open.push(match[1]);
      }
    });
    var state = { open: open };
    var toggle = toggleOf(active);
    var match = toggle && BLOCK_RE.exec(toggle.getAttribute("aria-controls"));
    if (match) {
      state.active = match[1];
    }
    try {
      window.sessionStorage.setItem(KEY, JSON.stringify(state));
    } catch (error) {
      // Private browsing without storage: the page simply opens as Wagtail lays it out.
    }
  }

  function restore(state, attempt) {
    var toggles = {};
    document.querySelectorAll("[data-panel-toggle][aria-controls^='block-']").forEach(function (t) {
      var match = BLOCK_RE.exec(t.getAttribute("aria-controls"));
      if (match) {
        toggles[match[1]] = t;
      }
    });
    if (!Object.keys(toggles).length && attempt < 50) {
      window.setTimeout(function () { restore(state, attempt + 1); }, 100);
      return;
    }
    (state.open || []).forEach(function (id) {
      var toggle = toggles[id];
      if (toggle && toggle.getAttribute("aria-expanded") !== "true") {
        toggle.click();
      }
    });
    var toggle = state.active && toggles[state.active];
    if (toggle) {
      var panel = toggle.closest("section.w-panel[data-panel]");
      active = panel;
      // Once the opened entries are laid out, and again after the admin's own start-up (the
      // browser may put the reloaded page back at its top): the entry at the top of the view.
      var place = function () {
        panel.scrollIntoView({ block: "start" });
      };
      window.setTimeout(place, 50);
      window.setTimeout(place, 600);
    }
  }

  // The Entries summary and add-button labels -------------------------------------------------

  function summarise() {
    var field = entriesField();
    var panel = field && field.closest("section.w-panel[data-panel]");
    var heading = panel && panel.querySelector(":scope > .w-panel__header [data-panel-heading]");
    if (!heading) {
      return;
    }
    var summary = heading.querySelector(".section-summary");
    if (!summary) {
      summary = document.createElement("span");
      summary.className = "section-summary";
      heading.appendChild(summary);
    }
    var entries = field.querySelectorAll("[name$='-value-annotation']").length;
    var reviewed = document.querySelector("input[name='reviewed']");
    var date = reviewed && reviewed.value ? "reviewed " + reviewed.value : "never reviewed";
    var text = " · " + entries + (entries === 1 ? " entry" : " entries") + " · " + date;
    var broken = field.querySelectorAll(".entry-link-status--broken").length;
    if (broken) {
      text += " · " + broken + " broken link" + (broken === 1 ? "" : "s");
    }
    if (summary.textContent !== text) {
      summary.textContent = text;
    }
  }

  function label(button) {
    if (button.querySelector(".add-label")) {
      return;
    }
    var span = document.createElement("span");
    span.className = "add-label";
    span.textContent = "Add entry";
    button.appendChild(span);
    button.setAttribute("aria-label", "Add entry");
    button.setAttribute("title", "Add entry");
  }

  var linkStatus = {};

  function markLink(input) {
    var wrapper = input.closest("[data-contentpath='url']") || input.parentElement;
    var note = wrapper.querySelector(":scope > .entry-link-status");
    var status = linkStatus[(input.value || "").split("#")[0]];
    if (!status) {
      if (note) {
        note.remove();
      }
      return;
    }
    if (!note) {
      note = document.createElement("p");
      wrapper.appendChild(note);
    }
    var kind = status.broken ? "broken" : "redirect";
    var text =
      (status.broken ? "Broken link: " : "Redirected: ") + status.label + " (" + status.result + ")";
    // Only real changes touch the page: the MutationObserver below would call this again.
    if (note.className !== "entry-link-status entry-link-status--" + kind) {
      note.className = "entry-link-status entry-link-status--" + kind;
    }
    if (note.textContent !== text) {
      note.textContent = text;
    }
  }

  function loadLinkStatus() {
    var match = /^(.*\/)pages\/(\d+)\/edit\/$/.exec(window.location.pathname);
    if (!match) {
      return;
    }
    window
      .fetch(match[1] + "reports/links/page/" + match[2] + "/", { credentials: "same-origin" })
      .then(function (response) {
        return response.ok ? response.json() : { links: {} };
      })
      .then(function (data) {
        linkStatus = data.links || {};
        refresh();
      })
      .catch(function () {
        linkStatus = {};
      });
  }

  var pending = false;
  function refresh() {
    if (pending) {
      return;
    }
    pending = true;
    window.requestAnimationFrame(function () {
      pending = false;
      document
        .querySelectorAll("[data-contentpath='entries'] input[name$='-value-url']")
        .forEach(markLink);
      summarise();
      document.querySelectorAll("[data-contentpath='entries'] .c-sf-add-button").forEach(label);
    });
  }

  function start() {
    if (!entriesField()) {
      // The StreamField may not be built yet: look again once it is (other editors never have
      // one, and stop looking after five seconds).
      if (!start.tries || start.tries < 50) {
        start.tries = (start.tries || 0) + 1;
        window.setTimeout(start, 100);
      }
      return;
    }
    var saved = null;
    try {
      saved = window.sessionStorage.getItem(KEY);
      window.sessionStorage.removeItem(KEY);
    } catch (error) {
      saved = null;
    }
    if (saved) {
      restore(JSON.parse(saved), 0);
    }
    document.addEventListener("focusin", function (event) {
      active = outermostPanel(event.target) || active;
    });
    document.addEventListener("click", function (event) {
      active = outermostPanel(event.target) || active;
    });
    var editForm = form();
    if (editForm) {
      editForm.addEventListener("submit", remember, true);
    }
    document.addEventListener("input", refresh);
    document.addEventListener("change", refresh);
    new MutationObserver(refresh).observe(document.body, { childList: true, subtree: true });
    loadLinkStatus();
    refresh();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
