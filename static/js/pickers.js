// Search pickers (core/pickers.py): a click on a found option makes it the choice.
document.addEventListener("click", function (event) {
  var button = event.target.closest("[data-pick]");
  if (!button) return;
  var picker = button.closest("[data-search-select]");
  var value = button.getAttribute("data-pick");
  var label = button.textContent;
  if (picker.hasAttribute("data-multiple")) {
    var chosen = picker.querySelector(".search-select-chosen");
    var name = picker.getAttribute("data-name");
    if (!chosen.querySelector('input[value="' + CSS.escape(value) + '"]')) {
      var row = document.createElement("div");
      row.className = "form-check";
      var box = document.createElement("input");
      box.type = "checkbox"; box.className = "form-check-input"; box.name = name;
      box.value = value; box.checked = true; box.id = name + "_pick_" + value;
      var text = document.createElement("label");
      text.className = "form-check-label"; text.htmlFor = box.id; text.textContent = label;
      row.append(box, text);
      chosen.append(row);
    }
  } else {
    var select = picker.querySelector("select");
    var option = Array.from(select.options).find(function (o) { return o.value === value; });
    if (!option) { option = new Option(label, value); select.add(option); }
    select.value = value;
  }
  picker.querySelector(".search-select-results").replaceChildren();
  picker.querySelector('input[type="search"]').value = "";
});
