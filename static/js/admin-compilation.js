// The compilation editor, made to fit a long list of sections.
// - After Save draft (or any save), the sections that were open are open again and the one being
//   edited is at the top of the view: Wagtail reloads the page with every section collapsed.
// - A section's header shows its entry count and reviewed date, so collapsed sections say what
//   is inside them.
// - The "+" buttons say what they add: "Add section" between sections, "Add entry" in a section.
// - One button opens or closes every section, and says which it will do: "Expand all" while
//   every section is closed. It stands in for Wagtail's own toggle, which closes every panel of
//   the form and says "Collapse all" although the sections start closed.
// - Entries whose link the last link check found broken or redirected say so under their URL,
//   and their section's header counts them (the link report's data, linkhealth/views.py).
// A section is a page of its own (blog.CompilationSectionPage): its editor gets the same help for
// its one list of entries (the summary on the Entries panel, "Add entry", the link marks and the
// open entries kept after saving).
(function () {
  "use strict";

  var KEY = "compilation-editor:" + window.location.pathname;
  var BLOCK_RE = /^block-(.+)-content$/;

  function form() {
    return document.querySelector("form[data-edit-form]") || document.querySelector("main form");
  }

  function isCompilation() {
    return !!document.querySelector(".section-block, [data-contentpath='entries']");
  }

  // A section page's editor: its entries are the form's own StreamField.
  function sectionPageEntries() {
    var entries = document.querySelector("[data-contentpath='entries']");
    return entries && !entries.closest(".section-block") ? entries : null;
  }

  function outermostPanel(element) {
    var panel = element && element.closest ? element.closest("section.w-panel[data-panel]") : null;
    var outer = null;
    while (panel) {
      var own = toggleOf(panel);
      if (own && BLOCK_RE.test(own.getAttribute("aria-controls") || "")) {
        outer = panel; // a block's panel (section or entry), not a field's
      }
      panel = panel.parentElement ? panel.parentElement.closest("section.w-panel[data-panel]") : null;
    }
    return outer;
  }

  function toggleOf(panel) {
    return panel ? panel.querySelector(":scope > .w-panel__header [data-panel-toggle]") : null;
  }

  // Remembering and restoring the open sections ----------------------------------------------

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
      // Private browsing without storage: the page simply opens collapsed.
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
      // Once the opened sections are laid out, and again after the admin's own start-up (the
      // browser may put the reloaded page back at its top): the section at the top of the view.
      var place = function () {
        panel.scrollIntoView({ block: "start" });
      };
      window.setTimeout(place, 50);
      window.setTimeout(place, 600);
    }
  }

  // Section summaries and add-button labels -------------------------------------------------

  function sectionPanels() {
    var own = sectionPageEntries();
    if (own) {
      var panel = own.closest("section.w-panel[data-panel]");
      return panel ? [panel] : [];
    }
    var panels = [];
    document.querySelectorAll(".section-block").forEach(function (block) {
      var panel = block.closest("section.w-panel[data-panel]");
      if (panel && panels.indexOf(panel) === -1) {
        panels.push(panel);
      }
    });
    return panels;
  }

  function summarise(panel) {
    var entries = panel.querySelectorAll("[name$='-value-annotation']").length;
    var reviewed =
      panel.querySelector("[name$='-value-reviewed']") || document.querySelector("input[name='reviewed']");
    var heading = panel.querySelector(":scope > .w-panel__header [data-panel-heading]");
    if (!heading) {
      return;
    }
    var summary = heading.querySelector(".section-summary");
    if (!summary) {
      summary = document.createElement("span");
      summary.className = "section-summary";
      heading.appendChild(summary);
    }
    var date = reviewed && reviewed.value ? "reviewed " + reviewed.value : "never reviewed";
    var text = " · " + entries + (entries === 1 ? " entry" : " entries") + " · " + date;
    var broken = panel.querySelectorAll(".entry-link-status--broken").length;
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
    var inEntries = button.closest("[data-contentpath='entries']");
    var inBody = button.closest("[data-contentpath='body']");
    if (!inBody && !inEntries) {
      return;
    }
    var text = inEntries ? "Add entry" : "Add section";
    var span = document.createElement("span");
    span.className = "add-label";
    span.textContent = text;
    button.appendChild(span);
    button.setAttribute("aria-label", text);
    button.setAttribute("title", text);
    button.classList.add(inEntries ? "add-button--entry" : "add-button--section");
  }

  function isOpen(panel) {
    var toggle = toggleOf(panel);
    return !!toggle && toggle.getAttribute("aria-expanded") === "true";
  }

  function sectionsToggle() {
    var body = document.querySelector("[data-contentpath='body']");
    var panel = body && body.closest("section.w-panel[data-panel]");
    var header = panel && panel.querySelector(":scope > .w-panel__header");
    if (!header) {
      return null;
    }
    var button = header.querySelector(":scope > .sections-toggle");
    if (!button) {
      button = document.createElement("button");
      button.type = "button";
      button.className = "button button-small button-secondary sections-toggle";
      button.addEventListener("click", function () {
        var open = button.getAttribute("aria-expanded") !== "true";
        sectionPanels().forEach(function (section) {
          if (isOpen(section) !== open) {
            toggleOf(section).click();
          }
        });
      });
      header.appendChild(button);
      document.body.classList.add("compilation-editor");
    }
    return button;
  }

  function labelSectionsToggle() {
    var button = sectionsToggle();
    if (!button) {
      return;
    }
    var anyOpen = sectionPanels().some(isOpen);
    var text = anyOpen ? "Collapse all" : "Expand all";
    if (button.textContent !== text) {
      button.textContent = text;
    }
    button.setAttribute("aria-expanded", anyOpen ? "true" : "false");
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
      sectionPanels().forEach(summarise);
      labelSectionsToggle();
      document
        .querySelectorAll(
          "[data-contentpath='body'] .c-sf-add-button, [data-contentpath='entries'] .c-sf-add-button"
        )
        .forEach(label);
    });
  }

  function start() {
    if (!isCompilation()) {
      // The StreamField may not be built yet: look again once it is.
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
      refresh(); // a section opened or closed: the toggle's words follow
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
