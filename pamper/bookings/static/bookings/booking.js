// Booking pages: hide the "Show times" buttons once htmx updates the slots by itself,
// and count down a checkout hold. The pages work without this file.
(function () {
  "use strict";

  function hideManualButtons(root) {
    if (!window.htmx) return;
    root.querySelectorAll(".show-times").forEach(function (button) { button.hidden = true; });
  }

  function countdown() {
    var target = document.querySelector("[data-hold-expires]");
    var label = document.querySelector("[data-hold-left]");
    if (!target || !label) return;
    var expires = Date.parse(target.getAttribute("datetime"));
    if (isNaN(expires)) return;
    function tick() {
      var left = Math.max(0, Math.round((expires - Date.now()) / 1000));
      var minutes = Math.floor(left / 60);
      var seconds = String(left % 60).padStart(2, "0");
      label.textContent = left > 0 ? "(" + minutes + ":" + seconds + " left)" : "(time's up: confirm to try the same time again)";
      if (left > 0) window.setTimeout(tick, 1000);
    }
    tick();
  }

  document.addEventListener("DOMContentLoaded", function () {
    hideManualButtons(document);
    countdown();
  });
  document.addEventListener("htmx:afterSwap", function (event) { hideManualButtons(event.target); });
})();
