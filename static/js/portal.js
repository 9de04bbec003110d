// Behaviour of the portal's pages, from data attributes: the Content Security Policy allows
// scripts from this site only, never inline, so no template carries a script or an on… attribute.
//   <form data-confirm="Удалить пару?">            asks before sending
//   <select data-autosubmit data-clears="name">    sends its form on change, emptying field «name»
//   <tbody data-reorder-url="…">                   rows (tr[data-id]) reordered by drag and drop
//                                                  (htmx), the result shown in #reorder-result
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

  // Drag and drop of the rows of a list (roadmap items, a program's tasks and modules); the
  // ↑ ↓ buttons do the same without JavaScript. The whole new order is posted at once, and the
  // server refuses it if the list changed meanwhile.
  function reorder(body) {
    var dragged = null;
    function rowOf(target) {
      var row = target.closest ? target.closest("tr[data-id]") : null;
      return row && row.parentNode === body ? row : null;
    }
    body.addEventListener("dragstart", function (e) {
      dragged = rowOf(e.target);
      if (!dragged) return;
      e.dataTransfer.effectAllowed = "move";
      // Some browsers start a drag only when it carries data.
      e.dataTransfer.setData("text/plain", dragged.dataset.id);
    });
    body.addEventListener("dragover", function (e) {
      if (!dragged) return;
      // Accept the drop anywhere on the list, also over the dragged row itself (it moves
      // under the pointer), or the drop event never comes.
      e.preventDefault();
      var row = rowOf(e.target);
      if (!row || row === dragged) return;
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
    body.addEventListener("dragend", function () {
      dragged = null;
    });
  }

  // A refused order comes back as 400 with the reason; htmx swaps no error response unless
  // told, and the reason is what the person must read.
  document.addEventListener("htmx:beforeSwap", function (e) {
    if (e.detail.xhr.status === 400 && e.detail.target && e.detail.target.id === "reorder-result") {
      e.detail.shouldSwap = true;
      e.detail.isError = false;
    }
  });

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-reorder-url]").forEach(reorder);
  });
})();
