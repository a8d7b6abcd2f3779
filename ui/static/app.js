() => {
  // An answer's [n] links to #src-<turn>-<n>: open that source card and bring it into view.
  document.addEventListener("click", (event) => {
    const link = event.target.closest('a[href^="#src-"]');
    if (!link) return;
    event.preventDefault();
    const card = document.getElementById(link.getAttribute("href").slice(1));
    if (!card) return;
    const folded = card.closest("details.turn-old");
    if (folded) folded.open = true;
    card.open = true;
    card.scrollIntoView({ behavior: "smooth", block: "start" });
    card.classList.add("flash");
    setTimeout(() => card.classList.remove("flash"), 1500);
  });
  // The progress line's seconds: the server sends the elapsed time with each update; this keeps
  // it moving while the model reads its prompt and no update comes.
  const seen = new WeakMap();
  setInterval(() => {
    document.querySelectorAll(".progress .elapsed[data-base]").forEach((el) => {
      if (!seen.has(el)) seen.set(el, performance.now());
      const base = parseFloat(el.dataset.base) || 0;
      el.textContent = (base + (performance.now() - seen.get(el)) / 1000).toFixed(1);
    });
  }, 200);
}
