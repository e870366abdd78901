// Search page: the results map, "use my location", and htmx glue (the boxes' suggestions: suggest.js).
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
      if (status) status.textContent = window.pamperText("locating");
      navigator.geolocation.getCurrentPosition(function (pos) {
        form.querySelector("[data-search-lat]").value = pos.coords.latitude.toFixed(5);
        form.querySelector("[data-search-lng]").value = pos.coords.longitude.toFixed(5);
        form.querySelector("#search-near").value = "";
        if (status) status.textContent = window.pamperText("searching_near_you");
        form.requestSubmit();
      }, function () {
        if (status) status.textContent = window.pamperText("no_location");
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
