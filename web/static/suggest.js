// Suggestions while typing, from /api/suggest: a list of our own under the
// search box (WeChat's built-in browser shows no <datalist>), used with the
// arrow keys, Enter and Escape or by a tap. The options also fill the
// <datalist>, which is what the box offers when this script does not run.
(function () {
  "use strict";
  var box = document.getElementById("q");
  var list = document.getElementById("q-suggest");
  var form = document.getElementById("search-form");
  if (!box || !list || !form || !window.fetch) { return; }
  box.removeAttribute("list"); // our list replaces the browser's
  var menu = document.createElement("ul");
  menu.id = "q-list";
  menu.className = "suggest-list";
  menu.setAttribute("role", "listbox");
  menu.setAttribute("aria-label", "搜索建议");
  menu.hidden = true;
  box.parentNode.appendChild(menu);
  box.setAttribute("role", "combobox");
  box.setAttribute("aria-autocomplete", "list");
  box.setAttribute("aria-controls", "q-list");
  box.setAttribute("aria-expanded", "false");
  var timer = 0, last = "", active = -1;

  function items() { return menu.querySelectorAll("li"); }
  function close() {
    menu.hidden = true;
    active = -1;
    box.setAttribute("aria-expanded", "false");
    box.removeAttribute("aria-activedescendant");
  }
  function highlight(i) {
    var lis = items();
    if (lis.length === 0) { return; }
    active = (i + lis.length) % lis.length;
    for (var k = 0; k < lis.length; k++) { lis[k].setAttribute("aria-selected", k === active ? "true" : "false"); }
    box.setAttribute("aria-activedescendant", lis[active].id);
  }
  function choose(text) {
    box.value = text;
    close();
    form.submit();
  }
  function show(words) {
    menu.textContent = "";
    list.textContent = "";
    words.forEach(function (s, i) {
      var opt = document.createElement("option");
      opt.value = s;
      list.appendChild(opt);
      var li = document.createElement("li");
      li.id = "q-opt-" + i;
      li.setAttribute("role", "option");
      li.setAttribute("aria-selected", "false");
      li.textContent = s;
      menu.appendChild(li);
    });
    active = -1;
    menu.hidden = words.length === 0;
    box.setAttribute("aria-expanded", words.length ? "true" : "false");
  }

  box.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(function () {
      var q = box.value.trim();
      if (q === last) { return; }
      last = q;
      if (q === "") { show([]); return; }
      fetch("/api/suggest?q=" + encodeURIComponent(q), { headers: { "Accept": "application/json" } })
        .then(function (r) { return r.ok ? r.json() : { suggestions: [] }; })
        .then(function (data) {
          if (q === last) { show(data.suggestions || []); }
        })
        .catch(function () { /* suggestions are optional */ });
    }, 200);
  });
  box.addEventListener("keydown", function (e) {
    if (menu.hidden) { return; }
    if (e.key === "ArrowDown" || e.key === "Down") { e.preventDefault(); highlight(active + 1); }
    else if (e.key === "ArrowUp" || e.key === "Up") { e.preventDefault(); highlight(active - 1); }
    else if (e.key === "Escape" || e.key === "Esc") { e.preventDefault(); close(); } // the first Escape closes the list, not clears the box
    else if (e.key === "Enter" && active >= 0) { e.preventDefault(); choose(items()[active].textContent); }
  });
  // pointerdown (mouse and touch) fires before the box loses focus; without
  // preventDefault the blur would close the list before the tap lands.
  menu.addEventListener(window.PointerEvent ? "pointerdown" : "mousedown", function (e) { e.preventDefault(); });
  menu.addEventListener("click", function (e) {
    var li = e.target.closest ? e.target.closest("li") : e.target;
    if (li && li.parentNode === menu) { choose(li.textContent); }
  });
  box.addEventListener("blur", close);
  box.addEventListener("focus", function () { if (items().length && box.value.trim() === last) { menu.hidden = false; box.setAttribute("aria-expanded", "true"); } });
})();
