// Pamper site script: small progressive enhancements. Pages work without it.
(function () {
  "use strict";

  // Where a refusal is shown, focus goes: the first field marked invalid, else the alert itself.
  function focusRefusal(root) {
    var field = root.querySelector("[aria-invalid='true']");
    var target = field || root.querySelector("[role='alert']");
    if (!target) { return; }
    if (!field && !target.hasAttribute("tabindex")) { target.setAttribute("tabindex", "-1"); }
    target.focus();
    target.scrollIntoView({ block: "center" });
  }

  // htmx swaps 400, 409 and 422 answers (base.html's htmx-config): the form comes back with its message, and the
  // keyboard user is taken to it instead of being left on the button that sent it.
  document.addEventListener("htmx:afterSwap", function (event) {
    var xhr = event.detail.xhr;
    if (xhr && xhr.status >= 400 && event.detail.target) { focusRefusal(event.detail.target); }
  });

  // A table that scrolls in its own box on a phone (site.css) can be scrolled with the keyboard too.
  function focusableScrollers(root) {
    root.querySelectorAll("main table").forEach(function (table) {
      if (table.scrollWidth > table.clientWidth + 1) {
        table.setAttribute("tabindex", "0");
      } else if (table.getAttribute("tabindex") === "0") {
        table.removeAttribute("tabindex");
      }
    });
  }
  document.addEventListener("htmx:afterSettle", function () { focusableScrollers(document); });
  window.addEventListener("resize", function () { focusableScrollers(document); });

  // A full page answered with a refusal (a form posted without htmx) opens on its message.
  function start() {
    focusableScrollers(document);
    var main = document.getElementById("main");
    if (main && main.querySelector("[data-refused]")) { focusRefusal(main); }
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }

  // The browser's own time zone, for the server to name a venue's zone only when it differs (lib/clock.py).
  try {
    var zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
    if (zone && document.cookie.indexOf("pamper_tz=" + encodeURIComponent(zone)) < 0) {
      document.cookie = "pamper_tz=" + encodeURIComponent(zone) + "; path=/; max-age=31536000; SameSite=Lax";
    }
  } catch (e) { /* times stay as the venue shows them */ }
})();
