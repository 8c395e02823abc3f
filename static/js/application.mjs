// Loaded as an external module so the Content Security Policy needs no
// 'unsafe-inline' script.
import { initAll } from "../govuk/govuk-frontend.min.js";

document.body.classList.add("js-enabled", "govuk-frontend-supported");
initAll();
