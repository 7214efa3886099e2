// A live character count under each compilation entry's annotation in the page editor.
// Annotations are text boxes named "...-annotation" with a maxlength; entries are added while
// editing, so new boxes are picked up as they appear.
(function () {
  "use strict";

  var SELECTOR = '[maxlength][name$="-annotation"]';

  function counterFor(input) {
    var id = input.id ? input.id + "-counter" : "";
    var counter = id ? document.getElementById(id) : null;
    if (!counter) {
      counter = document.createElement("p");
      counter.className = "w-field__help annotation-counter";
      counter.setAttribute("aria-live", "polite");
      if (id) {
        counter.id = id;
        var described = input.getAttribute("aria-describedby");
        input.setAttribute("aria-describedby", described ? described + " " + id : id);
      }
      input.insertAdjacentElement("afterend", counter);
    }
    return counter;
  }

  function update(input) {
    var max = parseInt(input.getAttribute("maxlength"), 10);
    var used = input.value.length;
    var counter = counterFor(input);
    counter.textContent = used + " / " + max + " characters";
    counter.style.fontWeight = used >= max * 0.9 ? "bold" : "";
  }

  function scan(root) {
    if (root.matches && root.matches(SELECTOR)) {
      update(root);
    }
    if (root.querySelectorAll) {
      root.querySelectorAll(SELECTOR).forEach(update);
    }
  }

  document.addEventListener("input", function (event) {
    if (event.target.matches && event.target.matches(SELECTOR)) {
      update(event.target);
    }
  });

  function start() {
    scan(document);
    new MutationObserver(function (mutations) {
      mutations.forEach(function (mutation) {
        mutation.addedNodes.forEach(scan);
      });
    }).observe(document.body, { childList: true, subtree: true });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
