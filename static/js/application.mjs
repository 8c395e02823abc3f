// Loaded as an external module so the Content Security Policy needs no
// 'unsafe-inline' script.
import { initAll } from "../govuk/govuk-frontend.min.js";

document.body.classList.add("js-enabled", "govuk-frontend-supported");
initAll();
// The components have started (a success banner takes the focus as it does):
// browser tests wait for this before they move the focus themselves.
document.documentElement.dataset.ready = "true";

// The sign-out warning (WCAG 2.2.1, timing adjustable): two minutes before a
// judge's or staff member's session would end for lack of activity, a dialog
// offers to stay signed in. Time spent in other tabs counts: before warning
// or signing out, the page asks the server how long is really left.
const dialog = document.getElementById("session-timeout");
if (dialog && typeof dialog.showModal === "function") {
  const warning = Number(dialog.dataset.warningSeconds);
  const countdown = dialog.querySelector("[data-session-countdown]");
  let timer;

  const secondsLeft = async () => {
    const response = await fetch(dialog.dataset.statusUrl, { credentials: "same-origin" });
    if (!response.ok) return 0;
    return (await response.json()).seconds_left ?? 0;
  };
  const words = (seconds) =>
    seconds > 60 ? `${Math.ceil(seconds / 60)} minutes` : `${Math.max(0, Math.round(seconds))} seconds`;
  const schedule = (seconds) => {
    window.clearTimeout(timer);
    timer = window.setTimeout(check, Math.max(0, seconds - warning) * 1000);
  };
  const check = async () => {
    const left = await secondsLeft();
    if (left <= 0) {
      window.location.href = dialog.dataset.signedOutUrl;
    } else if (left > warning) {
      schedule(left);
    } else {
      countdown.textContent = words(left);
      if (!dialog.open) dialog.showModal();
      timer = window.setTimeout(check, Math.min(left, 15) * 1000);
    }
  };
  const stay = async () => {
    const response = await fetch(dialog.dataset.statusUrl, {
      method: "POST",
      credentials: "same-origin",
      headers: { "X-CSRFToken": dialog.dataset.csrfToken },
    });
    dialog.close();
    schedule(response.ok ? (await response.json()).seconds_left : 0);
  };
  dialog.querySelector("[data-session-stay]").addEventListener("click", stay);
  // Escape closes the dialog: that too means "stay signed in".
  dialog.addEventListener("cancel", (event) => {
    event.preventDefault();
    stay();
  });
  schedule(Number(dialog.dataset.secondsLeft));
}
