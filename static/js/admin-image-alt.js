// Fills an image block's alt text from the chosen image's description.
//
// Wagtail's image chooser puts the chosen image's default alt text on its preview
// (data-default-alt-text): the description, or the title when there is none. Only a description
// is used (a title is often a file name, not a description); the editor's own words are never
// replaced, only an alt text this script filled in for an earlier choice.
(function () {
  "use strict";

  var FILLED = "data-alt-from-image";

  function altInputFor(preview) {
    var chooser = preview.closest(".chooser");
    if (!chooser || !chooser.id || !/-image-chooser$/.test(chooser.id)) {
      return null;
    }
    var prefix = chooser.id.replace(/-image-chooser$/, "");
    return document.getElementById(prefix + "-alt_text");
  }

  function fill(preview) {
    var input = altInputFor(preview);
    if (!input) {
      return;
    }
    var chooser = preview.closest(".chooser");
    var title = chooser.querySelector("[data-chooser-title]");
    var suggested = (preview.getAttribute("data-default-alt-text") || "").trim();
    if (title && suggested === title.textContent.trim()) {
      suggested = ""; // no description: Wagtail offered the title
    }
    var ours = input.getAttribute(FILLED);
    if (!suggested || (input.value && input.value !== ours)) {
      return;
    }
    input.value = suggested;
    input.setAttribute(FILLED, suggested);
    input.dispatchEvent(new Event("input", { bubbles: true }));
    input.dispatchEvent(new Event("change", { bubbles: true }));
  }

  function start() {
    new MutationObserver(function (mutations) {
      mutations.forEach(function (mutation) {
        if (mutation.type === "attributes" && mutation.target.matches("img[data-chooser-image]")) {
          fill(mutation.target);
        }
      });
    }).observe(document.body, {
      subtree: true,
      attributes: true,
      attributeFilter: ["data-default-alt-text"],
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
