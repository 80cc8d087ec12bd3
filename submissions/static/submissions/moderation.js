// The moderation screen works without this file. With it, ticking "Keep as written" puts the detail back into the
// public version in place of its placeholder, and unticking takes it out again, without losing the moderator's edits.
const announcer = document.getElementById("moderation-announcer");

function announce(text) {
  if (announcer) announcer.textContent = text;
}

for (const box of document.querySelectorAll("input[type=checkbox][data-target]")) {
  box.addEventListener("change", () => {
    const field = document.getElementById(box.dataset.target);
    if (!field) return;
    const [from, to] = box.checked
      ? [box.dataset.placeholder, box.dataset.text]
      : [box.dataset.text, box.dataset.placeholder];
    const at = field.value.indexOf(from);
    if (at === -1) {
      announce(`${box.dataset.label} not found in the public version: edit it by hand.`);
      return;
    }
    field.value = field.value.slice(0, at) + to + field.value.slice(at + from.length);
    announce(box.checked
      ? `${box.dataset.label} “${box.dataset.text}” kept in the public version.`
      : `${box.dataset.label} “${box.dataset.text}” removed from the public version.`);
  });
}

const errors = document.getElementById("moderation-errors");
if (errors) errors.focus();
