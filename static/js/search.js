// Suggestions for the header search box, from suggest/ under the form's own search page
// (/search/suggest/, /fr/search/suggest/). Without this file the box is a
// plain GET form to /search/, so search works fully without JavaScript.
(function () {
  "use strict";
  // Words in the reader's language: Django's JavaScript catalog (/<language>/jsi18n/) is loaded
  // before this script on pages in another language than the default; else they stay as written.
  var gettext = window.gettext || function (text) { return text; };
  // The kinds of suggestion the server names (search/results.py SUGGESTION_TYPES).
  var TYPES = {
    Compilation: gettext("Compilation"),
    Post: gettext("Post"),
    Section: gettext("Section"),
    Topic: gettext("Topic"),
    Tag: gettext("Tag"),
  };
  var input = document.getElementById("site-search");
  if (!input || !window.fetch) return;
  var form = input.closest("form.search-form");
  var list = null;
  var options = [];
  var active = -1;
  var timer = null;
  var controller = null;
  var lastQuery = "";

  function close() {
    if (list) list.remove();
    list = null;
    options = [];
    active = -1;
    input.setAttribute("aria-expanded", "false");
    input.removeAttribute("aria-activedescendant");
  }

  function setActive(index) {
    options.forEach(function (option, i) {
      option.setAttribute("aria-selected", i === index ? "true" : "false");
    });
    active = index;
    if (index >= 0) input.setAttribute("aria-activedescendant", options[index].id);
    else input.removeAttribute("aria-activedescendant");
  }

  function show(suggestions) {
    close();
    if (!suggestions.length) return;
    list = document.createElement("ul");
    list.id = "search-suggestions";
    list.setAttribute("role", "listbox");
    list.setAttribute("aria-label", gettext("Suggestions"));
    suggestions.forEach(function (item, i) {
      var li = document.createElement("li");
      li.setAttribute("role", "option");
      li.id = "search-suggestion-" + i;
      li.setAttribute("aria-selected", "false");
      var link = document.createElement("a");
      link.href = item.url;
      link.textContent = item.title; // text, never HTML
      link.tabIndex = -1;
      li.appendChild(link);
      if (item.type === "Search") {
        // The last row runs the full search for what was typed.
        li.className = "suggestion-search";
      } else {
        var type = document.createElement("span");
        type.className = "suggestion-type";
        type.textContent = TYPES[item.type] || item.type;
        li.appendChild(document.createTextNode(" "));
        li.appendChild(type);
      }
      list.appendChild(li);
      options.push(li);
    });
    input.insertAdjacentElement("afterend", list);
    input.setAttribute("aria-expanded", "true");
  }

  function fetchSuggestions() {
    var query = input.value.trim();
    if (query === lastQuery) return;
    lastQuery = query;
    if (query.length < 2) {
      close();
      return;
    }
    if (controller) controller.abort();
    controller = new AbortController();
    fetch(form.getAttribute("action") + "suggest/?q=" + encodeURIComponent(query), {
      headers: { Accept: "application/json" },
      signal: controller.signal,
    })
      .then(function (response) {
        return response.ok ? response.json() : { suggestions: [] };
      })
      .then(function (data) {
        if (input.value.trim() === query) show(data.suggestions || []);
      })
      .catch(function () {
        /* aborted or offline: the form still works */
      });
  }

  input.setAttribute("role", "combobox");
  input.setAttribute("aria-autocomplete", "list");
  input.setAttribute("aria-controls", "search-suggestions");
  input.setAttribute("aria-expanded", "false");

  input.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(fetchSuggestions, 150);
  });

  input.addEventListener("keydown", function (event) {
    if (event.key === "Escape") {
      if (list) {
        event.preventDefault();
        close();
      }
      return;
    }
    if (!list) return;
    if (event.key === "ArrowDown") {
      event.preventDefault();
      setActive((active + 1) % options.length);
    } else if (event.key === "ArrowUp") {
      event.preventDefault();
      setActive(active <= 0 ? options.length - 1 : active - 1);
    } else if (event.key === "Enter" && active >= 0) {
      event.preventDefault();
      window.location.assign(options[active].querySelector("a").href);
    }
  });

  document.addEventListener("click", function (event) {
    if (list && !form.contains(event.target)) close();
  });
  input.addEventListener("blur", function () {
    // Let a click on a suggestion land before the list goes away.
    setTimeout(function () {
      if (list && !form.contains(document.activeElement)) close();
    }, 150);
  });
})();
