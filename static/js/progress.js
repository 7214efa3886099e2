// Reading progress on a compilation: readers tick entries off as read. The ticks live in this
// browser's localStorage (no account). Each section shows its progress and the page its total.
// Without JavaScript the entries stay a plain ordered list.
(function () {
  "use strict";

  // Words in the reader's language: Django's JavaScript catalog (/<language>/jsi18n/) is loaded
  // before this script on pages in another language than the default; else they stay as written.
  var gettext = window.gettext || function (text) { return text; };
  var interpolate = window.interpolate || function (format, values) {
    return format.replace(/%\((\w+)\)s/g, function (match, name) { return values[name]; });
  };

  var root = document.querySelector(".compilation");
  if (!root) {
    return;
  }
  var KEY = "readingProgress:" + window.location.pathname;
  var storage;
  try {
    storage = window.localStorage;
    storage.getItem(KEY);
  } catch (error) {
    return; // storage blocked: keep the plain list
  }

  function load() {
    try {
      var list = JSON.parse(storage.getItem(KEY) || "[]");
      return Array.isArray(list) ? list : [];
    } catch (error) {
      return [];
    }
  }

  var read = new Set(load());
  var sections = [];
  var allEntries = [];
  var totalText = null;
  var clear = null;

  function save() {
    try {
      storage.setItem(KEY, JSON.stringify(Array.from(read)));
    } catch (error) {
      // Quota or privacy mode: the ticks last until the page is left.
    }
  }

  function describe(done, total) {
    return interpolate(gettext("%(done)s of %(total)s read"), { done: done, total: total }, true);
  }

  function update() {
    var seen = new Set();
    var doneUnique = 0;
    sections.forEach(function (section) {
      var done = 0;
      section.entries.forEach(function (entry) {
        var isRead = read.has(entry.key);
        entry.box.checked = isRead;
        entry.item.classList.toggle("entry--read", isRead);
        if (isRead) {
          done += 1;
        }
        if (!seen.has(entry.key)) {
          seen.add(entry.key);
          if (isRead) {
            doneUnique += 1;
          }
        }
      });
      section.output.textContent = describe(done, section.entries.length);
      section.output.classList.toggle("section__progress--done", done === section.entries.length);
      if (section.tocOutput) {
        section.tocOutput.textContent = done + "/" + section.entries.length;
        section.tocOutput.setAttribute("aria-label", describe(done, section.entries.length));
        section.tocOutput.classList.toggle("toc__progress--done", done === section.entries.length);
      }
    });
    if (totalText) {
      totalText.textContent = interpolate(
        gettext("Your progress: %(progress)s (saved in this browser only)."),
        { progress: describe(doneUnique, seen.size) },
        true
      ) + " ";
      clear.hidden = doneUnique === 0;
    }
  }

  root.querySelectorAll("section.section").forEach(function (sectionEl, sectionIndex) {
    var list = sectionEl.querySelector("ol.entries");
    if (!list) {
      return;
    }
    var section = { entries: [], output: document.createElement("p"), tocOutput: null };
    section.output.className = "section__progress";
    list.parentNode.insertBefore(section.output, list);
    // The same count beside the section's link in the contents.
    var tocLink = sectionEl.id && root.querySelector('.toc a[href="#' + sectionEl.id + '"]');
    if (tocLink) {
      section.tocOutput = document.createElement("span");
      section.tocOutput.className = "toc__progress";
      tocLink.parentNode.appendChild(section.tocOutput);
    }
    list.querySelectorAll(":scope > li.entry").forEach(function (item, entryIndex) {
      var key = item.getAttribute("data-entry") || sectionIndex + ":" + entryIndex;
      var titleEl = item.querySelector(".entry__title");
      var title = titleEl ? titleEl.textContent.trim() : gettext("this entry");
      var label = document.createElement("label");
      label.className = "entry__check";
      var box = document.createElement("input");
      box.type = "checkbox";
      box.className = "entry__checkbox";
      var text = document.createElement("span");
      text.className = "visually-hidden";
      text.textContent = interpolate(gettext("Mark “%(title)s” as read"), { title: title }, true);
      label.appendChild(box);
      label.appendChild(text);
      item.insertBefore(label, item.firstChild);
      item.classList.add("entry--trackable");
      box.addEventListener("change", function () {
        if (box.checked) {
          read.add(key);
        } else {
          read.delete(key);
        }
        save();
        update();
      });
      var entry = { key: key, item: item, box: box };
      section.entries.push(entry);
      allEntries.push(entry);
    });
    sections.push(section);
  });

  var total = root.querySelector("[data-progress-total]");
  if (total && allEntries.length) {
    totalText = document.createElement("span");
    totalText.setAttribute("aria-live", "polite");
    clear = document.createElement("button");
    clear.type = "button";
    clear.className = "button--quiet";
    clear.textContent = gettext("Clear ticks");
    clear.addEventListener("click", function () {
      read.clear();
      save();
      update();
    });
    total.appendChild(totalText);
    total.appendChild(clear);
    total.hidden = false;
  }
  update();
})();
