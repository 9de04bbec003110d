// Behaviour of the portal's pages, from data attributes: the Content Security Policy allows
// scripts from this site only, never inline, so no template carries a script or an on… attribute.
//   <form data-confirm="Удалить пару?">            asks before sending
//   <select data-autosubmit data-clears="name">    sends its form on change, emptying field «name»
//   <tbody id="items" data-reorder-url="…">        rows reordered by drag and drop (htmx)
(function () {
  "use strict";

  document.addEventListener("submit", function (event) {
    var form = event.target.closest("form[data-confirm]");
    if (form && !window.confirm(form.dataset.confirm)) {
      event.preventDefault();
    }
  });

  document.addEventListener("change", function (event) {
    var select = event.target.closest("[data-autosubmit]");
    if (!select || !select.form) return;
    var cleared = select.dataset.clears;
    if (cleared && select.form.elements[cleared]) {
      select.form.elements[cleared].value = "";
    }
    select.form.submit();
  });

  // Drag and drop of item rows; the ↑ ↓ buttons do the same without JavaScript.
  function reorder(body) {
    var dragged = null;
    body.addEventListener("dragstart", function (e) {
      dragged = e.target.closest("tr");
      e.dataTransfer.effectAllowed = "move";
    });
    body.addEventListener("dragover", function (e) {
      var row = e.target.closest("tr");
      if (!dragged || !row || row === dragged) return;
      e.preventDefault();
      var rect = row.getBoundingClientRect();
      var after = e.clientY > rect.top + rect.height / 2;
      body.insertBefore(dragged, after ? row.nextSibling : row);
    });
    body.addEventListener("drop", function (e) {
      e.preventDefault();
      if (!dragged) return;
      dragged = null;
      var ids = Array.prototype.map.call(body.querySelectorAll("tr[data-id]"), function (r) {
        return r.dataset.id;
      });
      htmx.ajax("POST", body.dataset.reorderUrl, {
        source: body,
        target: "#reorder-result",
        values: { items: ids.join(",") },
      });
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-reorder-url]").forEach(reorder);
  });
})();
