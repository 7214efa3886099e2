// Code boxes: a "Copy" button beside each language label copies the code as written.
// Without JavaScript (or without clipboard access) there is no button: the code is selectable text.
(function () {
  "use strict";

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
        button.textContent = "Copied";
        window.setTimeout(function () { button.textContent = "Copy"; }, 2500);
        announce("Code copied to the clipboard");
      },
      function () {
        announce("Could not copy; select the code instead");
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
      button.textContent = "Copy";
      var language = captions[i].querySelector(".code-block__language").textContent;
      button.setAttribute("aria-label", "Copy the " + (language === "Code" ? "code" : language + " code"));
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
