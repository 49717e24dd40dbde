// The gate log: the "n of m done" count and each person's badge follow the choices, and
// the completion time follows the clock until the guard changes it. The page works
// without this script (the server counts on every load).
(() => {
  const form = document.querySelector("form.gate-log");
  if (!form) return;

  const update = () => {
    const sections = form.querySelectorAll("details.person-log");
    let done = 0;
    for (const section of sections) {
      const chosen = section.querySelector("input[type=radio]:checked");
      const badge = section.querySelector("summary .badge.decision");
      const state = chosen ? (chosen.value === "1" ? "yes" : "no") : "undecided";
      if (chosen) done += 1;
      if (badge) {
        badge.textContent = form.dataset[state];
        badge.classList.toggle("ok", state === "yes");
        badge.classList.toggle("danger", state === "no");
        badge.classList.toggle("undecided", state === "undecided");
      }
    }
    const text = form.dataset.progress
      .replace("{done}", String(done))
      .replace("{total}", String(sections.length));
    for (const progress of form.querySelectorAll(".gate-progress strong")) {
      progress.textContent = text;
    }
  };
  form.addEventListener("change", (event) => {
    if (event.target.matches("input[type=radio]")) update();
  });

  // The time now, as the server gave it in the guard's time zone, moved on by the
  // minutes the page has been open (the phone's own zone may differ from the guard's).
  const field = form.querySelector("input[name=completed_at]");
  if (!field || !field.value || form.dataset.followNow !== "1") return;
  const shown = field.value;
  const loaded = Date.now();
  const start = new Date(`${shown}:00Z`).getTime();
  if (Number.isNaN(start)) return;
  let edited = false;
  field.addEventListener("input", () => { edited = true; });
  const pad = (n) => String(n).padStart(2, "0");
  window.setInterval(() => {
    if (edited) return;
    const now = new Date(start + (Date.now() - loaded));
    field.value = `${now.getUTCFullYear()}-${pad(now.getUTCMonth() + 1)}-${pad(now.getUTCDate())}T${pad(now.getUTCHours())}:${pad(now.getUTCMinutes())}`;
  }, 15000);
})();
