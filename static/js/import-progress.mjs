// Updates the import progress bar every two seconds until the import ends,
// then reloads the page to show the result. Without JavaScript the page has
// a refresh link instead.
const box = document.getElementById("import-progress");
if (box && box.dataset.finished !== "true") {
  const poll = async () => {
    const response = await fetch(box.dataset.statusUrl, { credentials: "same-origin" });
    if (!response.ok) return;
    const status = await response.json();
    document.getElementById("import-state").textContent = status.label;
    document.getElementById("import-count").textContent = `${status.processed} of ${status.total}`;
    document.getElementById("import-bar").value = status.percent;
    if (status.finished) {
      window.location.reload();
    } else {
      window.setTimeout(poll, 2000);
    }
  };
  window.setTimeout(poll, 2000);
}
