// Landing page map: Leaflet with OpenStreetMap tiles (as on the venue and search pages), one marker per listed
// venue, from the JSON in #landing-map-data. The list reads fine without it: the map only appears once Leaflet
// has started.
(function () {
  "use strict";

  function init() {
    var box = document.getElementById("landing-map");
    var node = document.getElementById("landing-map-data");
    if (!box || !node || typeof L === "undefined") return;
    var data = JSON.parse(node.textContent);
    box.hidden = false;
    var map = L.map(box, { scrollWheelZoom: false }).setView(data.center, 12);
    L.tileLayer("https://tile.openstreetmap.org/{z}/{x}/{y}.png", {
      maxZoom: 19,
      attribution: '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a> contributors'
    }).addTo(map);
    var points = [];
    data.markers.forEach(function (item) {
      // Text, never HTML: a venue's name is typed by the venue.
      var link = document.createElement("a");
      link.href = item.url;
      link.textContent = item.name + " · " + item.label;
      L.marker([item.lat, item.lng], { title: item.name, alt: item.name }).addTo(map).bindPopup(link);
      points.push([item.lat, item.lng]);
    });
    if (points.length > 1) map.fitBounds(points, { padding: [24, 24], maxZoom: 14 });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
