// Code boxes: a "Copy" button beside each language label copies the code as written.
// Without JavaScript (or without clipboard access) there is no button: the code is selectable text.
(function () {
  "use strict";

  // Words in the reader's language: Django's JavaScript catalog (/<language>/jsi18n/) is loaded
  // before this script on pages in another language than the default; else they stay as written.
  var gettext = window.gettext || function (text) { return text; };
  var interpolate = window.interpolate || function (format, values) {
    return format.replace(/%\((\w+)\)s/g, function (match, name) { return values[name]; });
  };

  function announce(text) {
    var status = document.querySelector(".copy-status");
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
    var button = event.currentTarget;
    var code = button.closest(".code-block").querySelector("pre");
    navigator.clipboard.writeText(code.textContent).then(
      function () {
        button.textContent = gettext("Copied");
        window.setTimeout(function () { button.textContent = gettext("Copy"); }, 2500);
        announce(gettext("Code copied to the clipboard"));
      },
      function () {
        announce(gettext("Could not copy; select the code instead"));
      }
    );
  }

  function init() {
    if (!navigator.clipboard || !window.isSecureContext) {
      return;
    }
    var captions = document.querySelectorAll(".code-block > figcaption");
    for (var i = 0; i < captions.length; i++) {
      var button = document.createElement("button");
      button.type = "button";
      button.className = "code-block__copy";
      button.textContent = gettext("Copy");
      var caption = captions[i].querySelector(".code-block__language");
      // A block without a language is labelled "Code" (blog/rendering.py).
      var plain = caption.textContent === "Code";
      button.setAttribute(
        "aria-label",
        plain
          ? gettext("Copy the code")
          : interpolate(gettext("Copy the %(language)s code"), { language: caption.textContent }, true)
      );
      button.addEventListener("click", copy);
      captions[i].appendChild(button);
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
