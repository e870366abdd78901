// Suggestions for a search box (the search page's and the home page's What and Where): every input with
// data-suggest="<url>" becomes an ARIA combobox over /api/v1/suggest. Without this file the boxes are plain.
(function () {
  "use strict";

  // Suggestions as an ARIA combobox (the WAI-ARIA APG "list autocomplete" pattern): the input keeps
  // the focus; arrows move through the options (aria-activedescendant), Enter takes one, Escape closes.

  function setupSuggest(input) {
    var url = input.getAttribute("data-suggest");
    var datalist = input.getAttribute("list") && document.getElementById(input.getAttribute("list"));
    if (datalist) datalist.remove();  // the page without this file falls back to nothing, not a datalist
    input.removeAttribute("list");
    var listId = input.id + "-listbox";
    var list = document.createElement("ul");
    list.id = listId;
    list.className = "combo-list";
    list.setAttribute("role", "listbox");
    list.setAttribute("aria-label", input.getAttribute("data-suggest-label") || "");
    list.hidden = true;
    input.insertAdjacentElement("afterend", list);
    var status = document.createElement("p");
    status.className = "search-sr";
    status.setAttribute("role", "status");
    status.setAttribute("aria-live", "polite");
    list.insertAdjacentElement("afterend", status);
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-controls", listId);
    input.setAttribute("aria-expanded", "false");
    var items = [];
    var active = -1;
    var timer = null;
    var asked = "";
    var lang = document.documentElement.lang || "en";

    function close() {
      list.hidden = true;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
      active = -1;
    }

    function highlight(index) {
      var options = list.querySelectorAll("[role=option]");
      options.forEach(function (node, i) { node.setAttribute("aria-selected", i === index ? "true" : "false"); });
      active = index;
      if (index >= 0 && options[index]) {
        input.setAttribute("aria-activedescendant", options[index].id);
        options[index].scrollIntoView({ block: "nearest" });
      } else {
        input.removeAttribute("aria-activedescendant");
      }
    }

    function choose(index) {
      var item = items[index];
      if (!item) return;
      input.value = item.value;
      close();
      input.dispatchEvent(new Event("input", { bubbles: true }));
      asked = input.value.trim();  // do not ask again for what was just chosen
    }

    function render() {
      list.replaceChildren();
      items.forEach(function (item, i) {
        var option = document.createElement("li");
        option.id = listId + "-" + i;
        option.setAttribute("role", "option");
        option.setAttribute("aria-selected", "false");
        option.className = "combo-option";
        var label = document.createElement("span");
        label.textContent = item.label;
        option.appendChild(label);
        if (item.detail) {
          var detail = document.createElement("span");
          detail.className = "combo-detail";
          detail.textContent = item.detail;
          option.appendChild(detail);
        }
        // mousedown, not click: the input must not lose the focus before the choice is taken
        option.addEventListener("mousedown", function (event) { event.preventDefault(); choose(i); });
        list.appendChild(option);
      });
      var open = items.length > 0;
      list.hidden = !open;
      input.setAttribute("aria-expanded", open ? "true" : "false");
      active = -1;
      input.removeAttribute("aria-activedescendant");
      var template = input.getAttribute(items.length === 1 ? "data-suggest-one" : "data-suggest-many") || "";
      status.textContent = open ? template.replace("%(count)s", String(items.length)) : "";
    }

    function ask() {
      var text = input.value.trim();
      if (text.length < 2) { items = []; render(); return; }
      if (text === asked) return;
      asked = text;
      var sep = url.indexOf("?") >= 0 ? "&" : "?";
      fetch(url + sep + "q=" + encodeURIComponent(text), {
        headers: { Accept: "application/json", "Accept-Language": lang }
      })
        .then(function (r) { return r.ok ? r.json() : []; })
        .then(function (found) {
          if (input.value.trim() !== text) return;  // an older answer: the text has moved on
          items = found.slice(0, 8);
          render();
        })
        .catch(function () { /* suggestions are a nicety */ });
    }

    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(ask, 120);
    });
    input.addEventListener("keydown", function (event) {
      var open = !list.hidden;
      if (event.key === "ArrowDown") {
        event.preventDefault();
        if (!open) { asked = ""; ask(); return; }
        highlight(active + 1 >= items.length ? 0 : active + 1);
      } else if (event.key === "ArrowUp") {
        event.preventDefault();
        if (open) highlight(active <= 0 ? items.length - 1 : active - 1);
      } else if (event.key === "Enter") {
        if (open && active >= 0) { event.preventDefault(); choose(active); }
        else close();
      } else if (event.key === "Escape") {
        if (open) { event.preventDefault(); close(); }
      } else if (event.key === "Tab") {
        close();
      }
    });
    input.addEventListener("blur", function () { setTimeout(close, 100); });
  }

  function start() { document.querySelectorAll("[data-suggest]").forEach(setupSuggest); }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
