// Pamper workspace: the venue map pin, country suggestions and the calendar side panel.
// Every page works without this file; it only makes them quicker to use.
(function () {
  "use strict";

  function round6(value) { return Math.round(value * 1e6) / 1e6; }

  function setUpMap() {
    var box = document.getElementById("venue-map");
    if (!box || typeof window.L === "undefined") { return; }
    var latInput = document.getElementById(box.dataset.latInput);
    var lngInput = document.getElementById(box.dataset.lngInput);
    var lat = parseFloat(latInput.value), lng = parseFloat(lngInput.value);
    var hasPin = !isNaN(lat) && !isNaN(lng);
    var map = window.L.map(box).setView(hasPin ? [lat, lng] : [51.5, -0.12], hasPin ? 16 : 5);
    window.L.tileLayer("https://tile.openstreetmap.org/{z}/{x}/{y}.png", {
      maxZoom: 19, attribution: "&copy; OpenStreetMap contributors"
    }).addTo(map);
    var marker = null;
    function place(latlng, pan) {
      if (!marker) {
        marker = window.L.marker(latlng, { draggable: true, keyboard: true, title: window.pamperText("your_venue") }).addTo(map);
        marker.on("dragend", function () { write(marker.getLatLng()); });
      } else {
        marker.setLatLng(latlng);
      }
      if (pan) { map.panTo(latlng); }
    }
    function write(latlng) {
      latInput.value = round6(latlng.lat);
      lngInput.value = round6(latlng.lng);
    }
    if (hasPin) { place([lat, lng], false); }
    map.on("click", function (event) { place(event.latlng, false); write(event.latlng); });
    function fromInputs() {
      var a = parseFloat(latInput.value), b = parseFloat(lngInput.value);
      if (!isNaN(a) && !isNaN(b)) { place([a, b], true); }
    }
    latInput.addEventListener("change", fromInputs);
    lngInput.addEventListener("change", fromInputs);
  }

  function setUpCountryHints() {
    var data = document.getElementById("country-hints");
    var country = document.getElementById("id_country");
    if (!data || !country) { return; }
    var hints = JSON.parse(data.textContent);
    var zone = document.getElementById("id_timezone");
    var currency = document.getElementById("id_currency");
    [zone, currency].forEach(function (el) {
      if (el) { el.addEventListener("change", function () { el.dataset.chosen = "1"; }); }
    });
    country.addEventListener("change", function () {
      var hint = hints[country.value];
      if (!hint) { return; }
      if (zone && !zone.dataset.chosen) { zone.value = hint.timezone; }
      if (currency && !currency.dataset.chosen) { currency.value = hint.currency; }
    });
  }

  function setUpPanel() {
    document.addEventListener("click", function (event) {
      var button = event.target.closest("[data-close-panel]");
      if (!button) { return; }
      var panel = document.getElementById("panel");
      if (panel) {
        event.preventDefault();
        panel.replaceChildren();
      }
    });
    document.body.addEventListener("htmx:afterSwap", function (event) {
      if (event.detail.target && event.detail.target.id === "panel" && window.innerWidth < 1000) {
        event.detail.target.scrollIntoView({ behavior: "smooth", block: "start" });
      }
    });
  }

  function start() {
    setUpMap();
    setUpCountryHints();
    setUpPanel();
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
