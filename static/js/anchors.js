// Heading anchors: each "#" link next to a heading copies the full link to that heading.
// Without JavaScript (or without clipboard access) the "#" is an ordinary link to the heading.
(function () {
  "use strict";

  // Words in the reader's language: Django's JavaScript catalog (/<language>/jsi18n/) is loaded
  // before this script on pages in another language than the default; else they stay as written.
  var gettext = window.gettext || function (text) { return text; };

  var status;

  function announce(text) {
    if (!status) {
      status = document.createElement("p");
      status.className = "copy-status";
      status.setAttribute("role", "status");
      document.body.appendChild(status);
    }
    status.textContent = text;
    status.classList.add("copy-status--shown");
    window.clearTimeout(announce.timer);
    announce.timer = window.setTimeout(function () {
      status.classList.remove("copy-status--shown");
    }, 2500);
  }

  function copy(event) {
    var link = event.currentTarget;
    if (!navigator.clipboard || !window.isSecureContext) {
      return; // follow the link as usual
    }
    var url = new URL(link.getAttribute("href"), window.location.href).href;
    navigator.clipboard.writeText(url).then(
      function () {
        link.classList.add("anchor--copied");
        window.setTimeout(function () { link.classList.remove("anchor--copied"); }, 2500);
        announce(gettext("Link copied to the clipboard"));
      },
      function () {
        announce(gettext("Could not copy; the address bar now has the link"));
      }
    );
  }

  function init() {
    var links = document.querySelectorAll("a.anchor[href^='#']");
    for (var i = 0; i < links.length; i++) {
      links[i].title = gettext("Copy a link to this heading");
      links[i].addEventListener("click", copy);
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
