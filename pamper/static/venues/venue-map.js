// Venue page map: Leaflet with OpenStreetMap tiles, set up from the data-* attributes of
// [data-venue-map]. The page reads fine without it: the address is printed beside the map,
// and the map box only appears once Leaflet has started.
(function () {
  "use strict";

  function init() {
    var box = document.querySelector("[data-venue-map]");
    if (!box || typeof L === "undefined") return;
    var lat = parseFloat(box.dataset.lat), lng = parseFloat(box.dataset.lng);
    if (!isFinite(lat) || !isFinite(lng)) return;
    box.hidden = false;
    var map = L.map(box, { scrollWheelZoom: false }).setView([lat, lng], parseInt(box.dataset.zoom, 10) || 15);
    L.tileLayer("https://tile.openstreetmap.org/{z}/{x}/{y}.png", {
      maxZoom: 19,
      attribution: '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a> contributors'
    }).addTo(map);
    // Text, never HTML: a venue's name is typed by the venue.
    var label = document.createElement("strong");
    label.textContent = box.dataset.name;
    L.marker([lat, lng], { title: box.dataset.name, alt: box.dataset.name }).addTo(map).bindPopup(label);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
