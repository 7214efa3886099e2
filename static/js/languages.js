// The language switcher keeps the reader's place: a link to the page in another language
// carries the section the reader is on (the #fragment), which both languages share.
document.addEventListener("click", (event) => {
  const link = event.target.closest("a[data-keep-fragment]");
  if (!link || !window.location.hash) return;
  const target = new URL(link.href, window.location.href);
  target.hash = window.location.hash;
  link.href = target.href;
});
