// Small progressive enhancements; every page works without JavaScript.
document.addEventListener("click", (event) => {
  const button = event.target.closest("[data-confirm]");
  if (button && !window.confirm(button.dataset.confirm)) {
    event.preventDefault();
  }
});

document.addEventListener("click", (event) => {
  if (event.target.closest(".print-button")) {
    window.print();
  }
});

// A place list that follows its province list: refilled from the directory when the
// province changes (the server sends only the chosen province's places).
document.addEventListener("change", async (event) => {
  const province = event.target;
  if (!(province instanceof HTMLSelectElement) || !province.form) return;
  const lists = province.form.querySelectorAll(`select[data-places-of="${province.name}"]`);
  for (const list of lists) {
    const blank = list.querySelector('option[value=""]');
    list.replaceChildren(...(blank ? [blank] : []));
    if (!province.value) continue;
    const url = list.dataset.placesUrl.replace(/\/0\/places$/, `/${province.value}/places`);
    const response = await fetch(url, { headers: { Accept: "application/json" } });
    if (!response.ok) continue;
    for (const place of await response.json()) {
      list.append(new Option(place.label, place.id));
    }
  }
});
