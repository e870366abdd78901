// Leaflet finds its marker images by reading a CSS url, which breaks once the
// static files carry hashed names. Point it at the images folder instead.
// Load right after leaflet.js, with data-images="{% static 'vendor/leaflet/images/' %}".
(function () {
  var script = document.currentScript;
  if (window.L && script && script.dataset.images) {
    window.L.Icon.Default.imagePath = script.dataset.images;
  }
})();
