// Home page: "Use my location" fills the search form's hidden lat/lng from the browser.
// The button stays hidden where the browser cannot locate; typing a place always works.
(function () {
  "use strict";

  function init() {
    var button = document.querySelector("[data-home-locate]");
    if (!button || !("geolocation" in navigator)) return;
    var form = button.form || button.closest("form");
    var status = form.querySelector("[data-home-locate-status]");
    var lat = form.elements.lat, lng = form.elements.lng, near = form.elements.near, q = form.elements.q;

    function say(text) { if (status) status.textContent = text; }

    function setPosition(latValue, lngValue) {
      lat.value = latValue; lng.value = lngValue;
      // Disabled inputs are not sent: an empty position never reaches the server.
      lat.disabled = lng.disabled = latValue === "";
    }

    button.hidden = false;
    button.addEventListener("click", function () {
      button.disabled = true;
      say(window.pamperText("locating"));
      navigator.geolocation.getCurrentPosition(function (position) {
        button.disabled = false;
        setPosition(position.coords.latitude.toFixed(5), position.coords.longitude.toFixed(5));
        near.value = "";
        near.placeholder = window.pamperText("near_you");
        if (q.value.trim()) {
          say(window.pamperText("searching_near_you"));
          if (form.requestSubmit) form.requestSubmit(); else form.submit();
        } else {
          say(window.pamperText("got_location"));
          q.focus();
        }
      }, function () {
        button.disabled = false;
        setPosition("", "");
        say(window.pamperText("no_location"));
      }, { enableHighAccuracy: false, timeout: 10000, maximumAge: 300000 });
    });
    // A typed place wins over a position found earlier.
    near.addEventListener("input", function () { setPosition("", ""); near.placeholder = window.pamperText("place_hint"); });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
