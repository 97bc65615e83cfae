// Small behaviours of the pages, here rather than in inline handlers (the Content Security
// Policy allows scripts from our own files only).
(function () {
  "use strict";
  document.addEventListener("change", function (event) {
    const select = event.target.closest("select[data-autosubmit]");
    if (select && select.form) select.form.submit();
  });
  document.addEventListener("click", function (event) {
    if (event.target.closest("button[data-print]")) window.print();
    const toggle = event.target.closest("button.menu-toggle");
    if (toggle) {
      const header = toggle.closest(".site-header");
      const open = header.classList.toggle("open");
      toggle.setAttribute("aria-expanded", open ? "true" : "false");
    }
  });
  // On a phone the header folds into a menu; without this script it stays unfolded.
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll(".site-header").forEach(function (header) {
      const toggle = header.querySelector("button.menu-toggle");
      if (!toggle) return;
      toggle.hidden = false;
      header.classList.add("menu-ready");
    });
  });
  document.addEventListener("submit", function (event) {
    const form = event.target.closest("form[data-confirm]");
    if (form && !window.confirm(form.dataset.confirm)) event.preventDefault();
  });
})();
