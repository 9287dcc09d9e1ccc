// An insight card: streams text in as the model writes it, shows saved insights at once,
// and offers a regenerate action. State is exposed as data-state for tests and styling.
import { asAppError, call, channel } from "./api.js";
import { h, replace } from "./dom.js";

/** Creates a card; returns `{ el, handler() }` where handler() yields a fresh Channel callback. */
export function insightCard({ title, testid, kind, id }) {
  const text = h("div", { class: "insight-text", "aria-live": "polite" });
  const meta = h("div", { class: "small text-secondary mt-2" });
  const regenerate = h("button", { type: "button", class: "btn btn-link btn-sm p-0", testid: "regenerate", hidden: true }, "↻ Regenerate");
  const body = h("div", { class: "card-body" },
    h("div", { class: "d-flex justify-content-between align-items-baseline mb-2" },
      h("h2", { class: "h6 text-uppercase text-secondary mb-0" }, title), regenerate),
    text, meta);
  const el = h("section", { class: "card insight h-100", testid, "aria-label": title }, body);
  el.dataset.state = "loading";
  text.textContent = "";
  replace(meta, "Asking the model…");

  const onEvent = (message) => {
    if (message.event === "delta") {
      if (el.dataset.state !== "streaming") {
        el.dataset.state = "streaming";
        text.textContent = "";
        replace(meta, "Writing…");
      }
      text.append(document.createTextNode(message.text));
    } else if (message.event === "done") {
      const insight = message.insight;
      text.textContent = insight.text;
      const when = new Date(insight.createdAt * 1000).toLocaleDateString();
      replace(meta, insight.cached ? h("span", { class: "badge text-bg-secondary me-2" }, "Saved") : null,
        `${insight.model} · ${when}`);
      el.dataset.state = "done";
      regenerate.hidden = false;
    } else if (message.event === "failed") {
      fail(message);
    }
  };

  const fail = (error) => {
    const err = asAppError(error);
    el.dataset.state = "error";
    text.textContent = "";
    replace(text, h("div", { class: "text-danger-emphasis", role: "alert" }, err.message));
    replace(meta);
    regenerate.hidden = false;
    regenerate.textContent = "↻ Try again";
  };

  regenerate.addEventListener("click", () => {
    el.dataset.state = "loading";
    text.textContent = "";
    replace(meta, "Asking the model…");
    regenerate.hidden = true;
    regenerate.textContent = "↻ Regenerate";
    call("regenerate_insight", { kind, id, onEvent: channel(onEvent) }).catch(fail);
  });

  return { el, onEvent, fail };
}
