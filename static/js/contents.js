// Contents ("Contents" / "On this page"): the link of the section being read is marked as the
// current one while the reader scrolls. Without JavaScript the contents are plain links.
(function () {
  "use strict";

  var links = Array.prototype.slice.call(document.querySelectorAll(".toc a[href^='#']"));
  var targets = links
    .map(function (link) { return document.getElementById(link.getAttribute("href").slice(1)); })
    .filter(Boolean);
  if (!targets.length || !("IntersectionObserver" in window)) {
    return;
  }

  function mark(id) {
    links.forEach(function (link) {
      if (link.getAttribute("href") === "#" + id) {
        link.setAttribute("aria-current", "location");
      } else {
        link.removeAttribute("aria-current");
      }
    });
  }

  // The current section is the last one whose start has passed the top third of the window.
  function current() {
    var line = window.innerHeight / 3;
    var found = null;
    targets.forEach(function (target) {
      if (target.getBoundingClientRect().top <= line) {
        found = target;
      }
    });
    if (found) {
      mark(found.id);
    } else {
      links.forEach(function (link) { link.removeAttribute("aria-current"); });
    }
  }

  var observer = new IntersectionObserver(current, { rootMargin: "0px 0px -66% 0px" });
  targets.forEach(function (target) { observer.observe(target); });
  window.addEventListener("scroll", function () {
    window.cancelAnimationFrame(current.frame);
    current.frame = window.requestAnimationFrame(current);
  }, { passive: true });
  current();
})();
