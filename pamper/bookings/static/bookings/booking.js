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
      label.textContent = left > 0 ? window.pamperText("hold_left").replace("%(time)s", minutes + ":" + seconds)
        : window.pamperText("hold_over");
      if (left > 0) window.setTimeout(tick, 1000);
    }
    tick();
  }

  // The picker is swapped whole when a service, the person or the day changes: keep keyboard focus on the
  // control that was used (the same service box, the same select, the newly chosen day), not the page top.
  var focused = null;
  document.addEventListener("htmx:beforeRequest", function () {
    var el = document.activeElement;
    focused = el && el.name ? { name: el.name, value: el.type === "checkbox" || el.type === "radio" ? el.value : null } : null;
  });
  function restoreFocus(root) {
    if (!focused) return;
    var selector = "[name='" + focused.name + "']" + (focused.value !== null ? "[value='" + focused.value + "']" : "");
    var target = root.querySelector(selector);
    focused = null;
    if (target) target.focus({ preventScroll: false });
  }

  // A long menu scrolls inside its box: bring the service chosen on the venue page to the middle of the box,
  // clear of the legend drawn over the box's top border, with the services either side of it in sight.
  function showChosen(root) {
    root.querySelectorAll(".booking-services").forEach(function (box) {
      var chosen = box.querySelector("input:checked");
      if (chosen && box.scrollHeight > box.clientHeight) {
        var label = chosen.closest("label") || chosen;
        var place = label.getBoundingClientRect(), frame = box.getBoundingClientRect();
        var offset = place.top - (frame.top + box.clientTop) - (box.clientHeight - place.height) / 2;
        box.scrollTop = Math.max(0, box.scrollTop + offset);
      }
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    hideManualButtons(document);
    showChosen(document);
    countdown();
  });
  document.addEventListener("htmx:afterSwap", function (event) {
    hideManualButtons(event.target);
    restoreFocus(document.getElementById("pick") || document);
  });
})();
