// Calendar pages: copy a feed URL (a button beside a read-only field).
(function () {
  "use strict";
  function copy(button) {
    var input = document.getElementById(button.dataset.copy);
    if (!input) { return; }
    var done = function () { button.textContent = button.dataset.done; };
    input.select();
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(input.value).then(done);
    } else if (document.execCommand("copy")) {
      done();
    }
  }
  document.addEventListener("click", function (event) {
    var target = event.target;
    if (target.dataset && target.dataset.copy) { copy(target); }
  });
  document.addEventListener("focusin", function (event) {
    var target = event.target;
    if (target.matches && target.matches(".cal-copy input")) { target.select(); }
  });
})();
