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
}
