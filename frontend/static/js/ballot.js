// ballot.js keeps a participant's choices on the ballot page within the
// poll's limit while they choose: once they have picked as many as the poll
// takes, the other boxes are disabled and a live message says so; removing
// a choice enables them again. Without it the page still works: the server
// refuses too many choices and shows the ballot again with them kept.
//
// The limit comes from the server (data-max-choices) and so does the
// message (data-msg-limit), in the page's language.

for (const set of document.querySelectorAll(".ballot-options[data-max-choices]")) {
  const max = Number(set.dataset.maxChoices);
  const boxes = [...set.querySelectorAll('input[type="checkbox"]')];
  const status = set.parentElement.querySelector("[data-ballot-limit]");
  if (!(max > 0) || boxes.length <= max) continue; // no limit to meet

  const update = () => {
    const full = boxes.filter((b) => b.checked).length >= max;
    for (const b of boxes) {
      b.disabled = full && !b.checked;
    }
    if (status) {
      const msg = full ? status.dataset.msgLimit : "";
      // Only a change is announced: setting the same text again would not be.
      if (status.textContent !== msg) status.textContent = msg;
    }
  };
  set.addEventListener("change", update);
  update();
}
