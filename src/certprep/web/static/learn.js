// Flashcard keys: Space shows the answer, 1-4 rate it (Again, Hard, Good, Easy). Print button for the study plan.
(function () {
  "use strict";
  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    if (event.target.closest && event.target.closest("input, select, textarea")) return;
    var box = document.getElementById("reveal-box");
    if (!box) return;
    if (event.key === " " || event.code === "Space") {
      event.preventDefault();
      box.open = true;
      return;
    }
    if (["1", "2", "3", "4"].indexOf(event.key) !== -1 && box.open) {
      var button = document.querySelector('#ratings button[name="rating"][value="' + event.key + '"]');
      if (button) {
        event.preventDefault();
        button.click();
      }
    }
  });
  document.querySelectorAll("[data-print]").forEach(function (button) {
    button.addEventListener("click", function () { window.print(); });
  });
})();
