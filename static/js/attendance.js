// Check-in page (签到): when the project checks people in on site, ask the browser for its
// location and send it with the form; then send the form by itself, once, after a scan.
// No inline script anywhere (CSP): this file reads its settings from data-* attributes.
(function () {
  "use strict";
  function say(form, key) {
    var status = document.getElementById("attendance-geo-status");
    if (status) { status.textContent = form.dataset[key] || ""; }
  }
  function send(form) {
    var button = document.getElementById("attendance-submit");
    if (button) { button.disabled = true; }
    say(form, "sending");
    form.submit(); // does not fire "submit" again
  }
  function locateThenSend(form) {
    if (!navigator.geolocation) { say(form, "noLocation"); send(form); return; }
    say(form, "locating");
    navigator.geolocation.getCurrentPosition(function (pos) {
      document.getElementById("attendance-lat").value = pos.coords.latitude.toFixed(6);
      document.getElementById("attendance-lon").value = pos.coords.longitude.toFixed(6);
      send(form);
    }, function () {
      say(form, "noLocation"); // the server answers why it needs the location
      send(form);
    }, { enableHighAccuracy: true, timeout: 15000, maximumAge: 60000 });
  }
  function go(form) {
    if (form.dataset.busy === "1") { return; }
    form.dataset.busy = "1";
    if (form.dataset.geofence === "1") { locateThenSend(form); } else { send(form); }
  }
  function start() {
    var form = document.getElementById("attendance-scan-form");
    if (!form) { return; }
    form.addEventListener("submit", function (event) { event.preventDefault(); go(form); });
    if (form.dataset.auto === "1") { go(form); }
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
