// The 打印 button of a form's print view. A static file, as the
// Content-Security-Policy (script-src 'self') allows no inline script.
"use strict";
(function () {
  var button = document.getElementById("print-button");
  if (button) {
    button.addEventListener("click", function () { window.print(); });
  }
})();
