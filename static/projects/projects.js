// Projects pages: "near me" (the browser's location, sorted by distance) and the copy button.
(function () {
  "use strict";
  function nearMe(button) {
    var form = document.getElementById("project-filters");
    if (!form || !navigator.geolocation) { alert(button.dataset.error); return; }
    navigator.geolocation.getCurrentPosition(function (pos) {
      form.querySelector("[name=lat]").value = pos.coords.latitude.toFixed(5);
      form.querySelector("[name=lng]").value = pos.coords.longitude.toFixed(5);
      form.querySelector("[name=sort]").value = "nearest";
      form.submit();
    }, function () { alert(button.dataset.error); }, { timeout: 10000, maximumAge: 300000 });
  }
  function copy(button) {
    var input = document.getElementById(button.dataset.copy);
    if (!input) { return; }
    var done = function () { button.textContent = button.dataset.done; };
    if (navigator.clipboard) {
      navigator.clipboard.writeText(input.value).then(done);
    } else {
      input.select();
      document.execCommand("copy");
      done();
    }
  }
  document.addEventListener("click", function (event) {
    var target = event.target;
    if (target.id === "near-me") { nearMe(target); }
    if (target.dataset && target.dataset.copy) { copy(target); }
  });
})();
