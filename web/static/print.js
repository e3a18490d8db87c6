// 打印 on document pages: shows the button and prints the page. Without
// scripts the button stays hidden and the browser's own print still works.
(function () {
  "use strict";
  var button = document.getElementById("print-button");
  if (!button || !window.print) { return; }
  button.hidden = false;
  button.addEventListener("click", function () { window.print(); });
})();
