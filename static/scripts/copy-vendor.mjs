// Copies GOV.UK Frontend's JavaScript and our own scripts into static/build, where Django finds them.
import { cpSync, mkdirSync } from "node:fs";

mkdirSync("static/build/js", { recursive: true });
cpSync("node_modules/govuk-frontend/dist/govuk/govuk-frontend.min.js", "static/build/js/govuk-frontend.min.js");
cpSync("static/js/app.js", "static/build/js/app.js");
// GOV.UK Frontend's CSS refers to this image: collectstatic (manifest storage) fails without it.
mkdirSync("static/build/images", { recursive: true });
cpSync("node_modules/govuk-frontend/dist/govuk/assets/images/govuk-crest.svg", "static/build/images/govuk-crest.svg");
