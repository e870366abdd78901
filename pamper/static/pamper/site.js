// Pamper site script: small progressive enhancements. Pages work without it.
(function () {
  "use strict";

  // The words a script shows, in the page's language: base.html's {% script_texts %} block, read on first use.
  var texts = null;
  window.pamperText = function (key) {
    if (texts === null) {
      var block = document.getElementById("pamper-texts");
      texts = block ? JSON.parse(block.textContent) : {};
    }
    return texts[key] || "";
  };

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

  // The option a select shows before anyone touches it: the one marked selected, else the first (a select with no
  // option marked selected shows its first, whose selected then differs from its defaultSelected).
  function defaultIndex(select) {
    for (var i = 0; i < select.options.length; i++) { if (select.options[i].defaultSelected) { return i; } }
    return select.multiple || !select.options.length ? -1 : 0;
  }
  // A choice made before htmx was ready (a day tapped while the page was still loading, or a form the browser
  // restored on Back) has sent no request: the page would show the times of the day it was rendered with next to
  // another day marked as chosen. Send it now, once htmx watches the form.
  function changedBeforeReady(form) {
    return Array.prototype.some.call(form.elements, function (el) {
      if (el.type === "checkbox" || el.type === "radio") { return el.checked !== el.defaultChecked; }
      if (el.tagName === "SELECT") { return el.selectedIndex !== defaultIndex(el); }
      return (el.type === "text" || el.type === "date" || el.type === "search") && el.value !== el.defaultValue;
    });
  }
  function sendEarlyChoices() {
    if (!window.htmx) { return; }
    document.querySelectorAll("form[hx-trigger='change']").forEach(function (form) {
      if (changedBeforeReady(form)) { window.htmx.trigger(form, "change"); }
    });
  }

  // A full page answered with a refusal (a form posted without htmx) opens on its message.
  function start() {
    setTimeout(sendEarlyChoices, 0);  // after htmx's own start-up, which also waits for DOMContentLoaded
    focusableScrollers(document);
    var main = document.getElementById("main");
    if (main && main.querySelector("[data-refused]")) { focusRefusal(main); }
  }
  if (document.readyState !== "complete") {
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
