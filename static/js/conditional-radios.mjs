// GOV.UK Frontend reveals the fields under a chosen radio (data-aria-controls)
// and marks each radio with aria-expanded, an attribute a radio may not carry
// (WAI-ARIA; axe's aria-allowed-attr). The revealed fields follow their radio
// in reading order, so the attribute is taken off wherever it is set.
const forms = document.querySelectorAll("[data-conditional-radios]");
const strip = (input) => {
  if (input.hasAttribute("aria-expanded")) input.removeAttribute("aria-expanded");
};
for (const form of forms) {
  const inputs = form.querySelectorAll(".govuk-radios__input[data-aria-controls], .govuk-radios__input[aria-controls]");
  inputs.forEach(strip);
  new MutationObserver((changes) => changes.forEach((change) => strip(change.target))).observe(form, {
    attributes: true,
    attributeFilter: ["aria-expanded"],
    subtree: true,
  });
}
