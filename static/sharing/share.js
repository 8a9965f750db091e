// Share panel (gongyi.sharing): copy the link, and the Web Share API where the browser has it.
// Works on the panel as first drawn and on the short link htmx puts in its place.
(function () {
  "use strict";
  function revealNativeShare(root) {
    if (!navigator.share) { return; }
    root.querySelectorAll("[data-share-native]").forEach(function (button) {
      button.hidden = false;
    });
  }
  function copy(button) {
    var input = document.getElementById(button.dataset.shareCopy);
    if (!input) { return; }
    var done = function () { button.textContent = button.dataset.done; };
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(input.value).then(done, function () { input.select(); });
    } else {
      input.select();
      document.execCommand("copy");
      done();
    }
  }
  function nativeShare(button) {
    navigator.share({
      title: button.dataset.title,
      text: button.dataset.text,
      url: button.dataset.url
    }).catch(function () { /* the person closed the share sheet */ });
  }
  document.addEventListener("click", function (event) {
    var target = event.target.closest("[data-share-copy], [data-share-native]");
    if (!target) { return; }
    if (target.dataset.shareCopy) { copy(target); } else { nativeShare(target); }
  });
  document.addEventListener("DOMContentLoaded", function () { revealNativeShare(document); });
  document.addEventListener("htmx:afterSwap", function (event) { revealNativeShare(event.target); });
  document.addEventListener("focusin", function (event) {
    if (event.target.closest && event.target.closest(".share-panel input[readonly]")) {
      event.target.select();
    }
  });
})();
