// The upload form without this script: one caption per line in a text box. With it: one
// caption field beside each chosen photo, written back into that text box on every key.
(function () {
  "use strict";
  function setUp(form) {
    var input = form.querySelector("input[type=file][name=photos]");
    var captions = form.querySelector("textarea[name=captions]");
    var rows = form.querySelector("[data-caption-rows]");
    if (!input || !captions || !rows) return;
    var box = captions.closest("div") || captions;

    function write() {
      var values = Array.prototype.map.call(rows.querySelectorAll("input"), function (field) {
        return field.value.replace(/\s+/g, " ");
      });
      captions.value = values.join("\n");
    }

    input.addEventListener("change", function () {
      var old = captions.value.split("\n");
      rows.textContent = "";
      Array.prototype.forEach.call(input.files, function (file, i) {
        var item = document.createElement("li");
        var label = document.createElement("label");
        var field = document.createElement("input");
        field.type = "text";
        field.maxLength = 200;
        field.value = old[i] || "";
        field.addEventListener("input", write);
        label.append(file.name, field);
        item.append(label);
        rows.append(item);
      });
      rows.hidden = input.files.length === 0;
      box.hidden = input.files.length > 0;
      write();
    });
  }
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("form.snap-upload").forEach(setUp);
  });
})();
