// "Use my location" for search forms: a button[data-locate] inside a form with hidden
// inputs named lat and lng. The button stays hidden where the browser cannot locate;
// the form works without it (type a town instead). lat and lng may start disabled.
(function () {
  "use strict";

  function setStatus(form, text) {
    var status = form.querySelector("[data-locate-status]");
    if (status) status.textContent = text;
  }

  // lat/lng start disabled so a typed search does not send empty values.
  function setPosition(form, lat, lng) {
    [["lat", lat], ["lng", lng]].forEach(function (pair) {
      var input = form.elements[pair[0]];
      input.value = pair[1];
      input.disabled = pair[1] === "";
    });
  }

  function clearPosition(form) {
    setPosition(form, "", "");
  }

  function locate(button) {
    var form = button.form || button.closest("form");
    button.disabled = true;
    setStatus(form, window.pamperText("locating"));
    navigator.geolocation.getCurrentPosition(
      function (position) {
        setPosition(form, position.coords.latitude.toFixed(5), position.coords.longitude.toFixed(5));
        if (form.elements.near) form.elements.near.value = "";
        setStatus(form, window.pamperText("searching_near_you"));
        if (form.requestSubmit) form.requestSubmit(); else form.submit();
      },
      function () {
        button.disabled = false;
        clearPosition(form);
        setStatus(form, window.pamperText("no_location"));
      },
      { enableHighAccuracy: false, timeout: 10000, maximumAge: 300000 }
    );
  }

  function init() {
    if (!("geolocation" in navigator)) return;
    document.querySelectorAll("[data-locate]").forEach(function (button) {
      var form = button.form || button.closest("form");
      if (!form || !form.elements.lat || !form.elements.lng) return;
      button.hidden = false;
      button.addEventListener("click", function () { locate(button); });
      // A typed place wins over a position found earlier (e.g. restored by the back button).
      if (form.elements.near) {
        form.elements.near.addEventListener("input", function () { clearPosition(form); });
      }
    });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
