// Search page: the results map, "use my location", autocomplete, and htmx glue.
// The page works without this file: the form submits and the list renders.
(function () {
  "use strict";

  var map = null;
  var layer = null;

  function mapData() {
    var node = document.getElementById("search-map-data");
    if (!node) return null;
    try { return JSON.parse(node.textContent); } catch (e) { return null; }
  }

  function escapeHtml(text) {
    var div = document.createElement("div");
    div.textContent = text;
    return div.innerHTML;
  }

  function ensureMap() {
    var el = document.getElementById("search-map");
    if (!el || !window.L) return null;
    if (!map) {
      map = window.L.map(el, { scrollWheelZoom: false });
      window.L.tileLayer("https://tile.openstreetmap.org/{z}/{x}/{y}.png", {
        maxZoom: 19,
        attribution: "&copy; OpenStreetMap contributors"
      }).addTo(map);
      layer = window.L.layerGroup().addTo(map);
      map.setView([51.5, -0.12], 5);
    }
    return map;
  }

  function renderMarkers() {
    var data = mapData();
    var wrap = document.querySelector(".search-map-wrap");
    if (wrap) wrap.hidden = !data;  // no results shown: no map
    var m = ensureMap();
    if (!m) return;
    layer.clearLayers();
    if (!data) return;
    m.invalidateSize();
    var bounds = [];
    data.markers.forEach(function (item) {
      var marker = window.L.marker([item.lat, item.lng], { title: item.name, alt: item.name });
      marker.bindPopup('<a href="' + encodeURI(item.url) + '">' + escapeHtml(item.name) + "</a><br>" + escapeHtml(item.label));
      marker.addTo(layer);
      bounds.push([item.lat, item.lng]);
    });
    var circle = window.L.circle(data.center, { radius: data.radius_km * 1000, fill: false, weight: 1 });
    circle.addTo(layer);
    if (bounds.length) {
      bounds.push(data.center);
      m.fitBounds(bounds, { padding: [24, 24], maxZoom: 15 });
    } else {
      m.fitBounds(circle.getBounds());
    }
  }

  function setupLocate() {
    var button = document.querySelector("[data-search-locate]");
    var form = document.getElementById("search-form");
    if (!button || !form || !navigator.geolocation) return;
    button.hidden = false;
    var status = document.querySelector("[data-search-locate-status]");
    button.addEventListener("click", function () {
      if (status) status.textContent = "Finding where you are…";
      navigator.geolocation.getCurrentPosition(function (pos) {
        form.querySelector("[data-search-lat]").value = pos.coords.latitude.toFixed(5);
        form.querySelector("[data-search-lng]").value = pos.coords.longitude.toFixed(5);
        form.querySelector("#search-near").value = "";
        if (status) status.textContent = "Using your location.";
        form.requestSubmit();
      }, function () {
        if (status) status.textContent = "Your location is not available: type a town instead.";
      }, { timeout: 10000, maximumAge: 600000 });
    });
    // Typing a place replaces the location from the browser.
    form.querySelector("#search-near").addEventListener("input", function () {
      form.querySelector("[data-search-lat]").value = "";
      form.querySelector("[data-search-lng]").value = "";
      var country = form.querySelector("[data-search-country]");
      if (country) country.remove();
    });
  }

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

  // A treatment with no place: ask where, with the browser's location when it is already allowed.
  function askWhere() {
    var box = document.querySelector("[data-search-ask-where]");
    var near = document.getElementById("search-near");
    if (!box || !near) return;
    near.focus();
    var button = document.querySelector("[data-search-locate]");
    if (!button || button.hidden || !navigator.permissions || !navigator.permissions.query) return;
    navigator.permissions.query({ name: "geolocation" }).then(function (state) {
      if (state.state === "granted") button.click();
    }).catch(function () { /* the visitor types a town instead */ });
  }

  document.addEventListener("DOMContentLoaded", function () {
    // Filters start open where there is room for them; on a phone they fold away.
    var filters = document.querySelector("[data-search-filters]");
    if (filters && window.matchMedia("(min-width: 720px)").matches) filters.open = true;
    renderMarkers();
    setupLocate();
    document.querySelectorAll("[data-suggest]").forEach(setupSuggest);
    askWhere();
  });

  // A search the server cannot answer (unknown place, bad filter) still
  // replaces the list: its message says what to change.
  document.addEventListener("htmx:beforeSwap", function (event) {
    var status = event.detail.xhr.status;
    if (event.detail.target.id === "search-results" && (status === 400 || status === 422)) {
      event.detail.shouldSwap = true;
      event.detail.isError = false;
    }
  });

  document.addEventListener("htmx:afterSwap", function (event) {
    if (event.detail.target.id === "search-results") { renderMarkers(); askWhere(); }
  });
})();
