// "What changed" on a compilation: marks the publishes newer than this browser's last visit.
// The last visit (the id of the newest publish seen; ids only grow) lives in localStorage, like the reading progress;
// no account. Without JavaScript or storage the log reads the same, unmarked.
(function () {
  "use strict";

  // Words in the reader's language: Django's JavaScript catalog (/<language>/jsi18n/) is loaded
  // before this script on pages in another language than the default; else they stay as written.
  var gettext = window.gettext || function (text) { return text; };
  var ngettext = window.ngettext || function (one, many, count) { return count === 1 ? one : many; };
  var interpolate = window.interpolate || function (format, values) {
    return format.replace(/%\((\w+)\)s/g, function (match, name) { return values[name]; });
  };

  var root = document.querySelector("[data-changes-key]");
  if (!root) {
    return;
  }
  var KEY = "changesSeen:" + root.getAttribute("data-changes-key");
  var storage;
  var seen;
  try {
    storage = window.localStorage;
    seen = storage.getItem(KEY);
  } catch (error) {
    return;
  }

  var publishes = Array.prototype.slice.call(root.querySelectorAll("[data-publish-id]"));
  if (!publishes.length) {
    return;
  }
  function idOf(publish) {
    return Number(publish.getAttribute("data-publish-id"));
  }
  var newest = idOf(publishes[0]);
  var since = root.querySelector("[data-changes-since]");
  seen = Number(seen);
  if (seen) {
    var fresh = publishes.filter(function (publish) {
      return idOf(publish) > seen;
    });
    fresh.forEach(function (publish) {
      publish.classList.add("publish--new");
      var badge = publish.querySelector("[data-new-badge]");
      if (badge) {
        badge.hidden = false;
      }
    });
    if (since) {
      since.textContent = fresh.length
        ? interpolate(
          ngettext(
            "%(count)s publish since your last visit.",
            "%(count)s publishes since your last visit.",
            fresh.length
          ),
          { count: fresh.length },
          true
        )
        : gettext("Nothing new since your last visit.");
      since.hidden = false;
    }
  }
  try {
    storage.setItem(KEY, String(newest));
  } catch (error) {
    // Quota or privacy mode: the next visit shows everything unmarked.
  }
})();
