// Suggestions while typing: fills the search box's <datalist> from
// /api/suggest. The page works the same without it.
(function () {
  "use strict";
  var box = document.getElementById("q");
  var list = document.getElementById("q-suggest");
  if (!box || !list || !window.fetch) { return; }
  var timer = 0, last = "";
  box.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(function () {
      var q = box.value.trim();
      if (q === last) { return; }
      last = q;
      if (q === "") { list.textContent = ""; return; }
      fetch("/api/suggest?q=" + encodeURIComponent(q), { headers: { "Accept": "application/json" } })
        .then(function (r) { return r.ok ? r.json() : { suggestions: [] }; })
        .then(function (data) {
          if (q !== last) { return; }
          list.textContent = "";
          (data.suggestions || []).forEach(function (s) {
            var opt = document.createElement("option");
            opt.value = s;
            list.appendChild(opt);
          });
        })
        .catch(function () { /* suggestions are optional */ });
    }, 200);
  });
})();
