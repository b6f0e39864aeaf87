// Study pages (web/pages/study.py): the "Print this page" link opens the browser's print dialog. Without script the
// link only jumps to the content, and the browser's own print command gives the same printout.
(function () {
  "use strict";
  document.querySelectorAll("[data-print]").forEach(function (link) {
    link.addEventListener("click", function (event) {
      event.preventDefault();
      window.print();
    });
  });
})();
