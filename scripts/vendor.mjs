// Copies the Bootstrap files the UI uses from node_modules into ui/vendor, so they ship in the
// bundle and nothing is ever loaded from a CDN.
import { copyFileSync, mkdirSync } from "node:fs";

const files = {
  "node_modules/bootstrap/dist/css/bootstrap.min.css": "ui/vendor/bootstrap.min.css",
  "node_modules/bootstrap/dist/js/bootstrap.bundle.min.js": "ui/vendor/bootstrap.bundle.min.js",
};
mkdirSync("ui/vendor", { recursive: true });
for (const [from, to] of Object.entries(files)) copyFileSync(from, to);
console.log("vendored Bootstrap into ui/vendor");
