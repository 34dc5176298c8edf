// live.js follows a workshop live over the WebSocket of API.md
// (/api/v1/workshops/{id}/live) on the pages that show its polls: the
// projector, the official's control page and the participants' ballot page.
// The pages work without it (a reload shows the latest state); with it, the
// numbers and bars move as votes come in, and a poll opening or closing
// (and, on the projector, the workshop ending or reopening) reloads the
// page (or, if a form on it has unsent changes, says so).
//
// Every frame is the whole state of one poll, so the frames after a
// (re)connection bring the page up to date: nothing is assembled from
// differences. The rules come decided from the server, in the page's data
// attributes and in each frame: show_results (do screens that everyone sees
// show the votes) and current (is this the poll a projector shows). This
// script compares them; it derives none of them. Officials' pages also get
// "participants" frames, the count of those who have joined. The projector
// also redraws the workshop's idea wall from "wall" frames (the whole wall
// as everyone sees it: a hidden proposal is simply not in the next one).

const root = document.querySelector("[data-live-workshop]");
if (root) {
  const workshopID = root.dataset.liveWorkshop;
  const statusEl = root.querySelector("[data-live-status]") || document.querySelector("[data-live-status]");
  const isProjector = root.classList.contains("projector");
  const isBallot = root.classList.contains("ballot-page");
  const tallies = new Map(); // poll id → latest frame
  let dirty = false; // a form on the page has unsent changes
  let backoff = 1000;
  let reloading = false;
  let checkPending = false;

  for (const form of document.querySelectorAll("form")) {
    form.addEventListener("input", () => { dirty = true; });
    // A sent form is already taking the browser to the next page: a reload
    // now would abort that navigation (and could lose the post).
    form.addEventListener("submit", () => { dirty = false; reloading = true; });
  }

  const say = (key) => {
    if (statusEl) statusEl.textContent = statusEl.dataset["msg" + key] || "";
  };

  // update writes a frame's numbers into the page.
  const update = (t) => {
    for (const el of document.querySelectorAll(`[data-ballots="${t.poll_id}"]`)) {
      el.textContent = String(t.ballots);
    }
    const table = document.querySelector(`[data-results="${t.poll_id}"]`);
    if (!table) return;
    for (const o of t.options) {
      const row = table.querySelector(`tr[data-option="${o.id}"]`);
      if (!row || o.votes === null) continue; // null: hidden until the poll closes
      const votes = row.querySelector(".votes");
      if (votes) votes.textContent = String(o.votes);
      const bar = row.querySelector(".bar-fill");
      if (bar) bar.setAttribute("width", t.ballots > 0 ? (100 * o.votes / t.ballots).toFixed(1) : "0");
    }
  };

  // drawWall redraws the projector's idea wall from a frame: one column per
  // collection, a card per proposal. Text goes in as text, never as markup.
  const drawWall = (w) => {
    const section = root.querySelector("[data-wall]");
    if (!section) {
      if (w.collections.length > 0) refresh(); // the first collection: the page gets its wall
      return;
    }
    const columns = section.querySelector("[data-wall-columns]");
    const label = section.dataset.msgSupports || "";
    const cols = w.collections.map((c) => {
      const col = document.createElement("section");
      col.className = "wall-column";
      col.setAttribute("aria-labelledby", `wall-col-${c.id}`);
      const h = document.createElement("h3");
      h.id = `wall-col-${c.id}`;
      h.textContent = c.title;
      const ul = document.createElement("ul");
      ul.className = "wall-cards";
      for (const p of c.proposals || []) {
        const li = document.createElement("li");
        li.className = "wall-card";
        li.dataset.proposal = String(p.id);
        const body = document.createElement("span");
        body.className = "wall-card-body";
        body.textContent = p.body;
        const sup = document.createElement("span");
        sup.className = "wall-card-supports";
        sup.textContent = `${label} ${p.supports}`;
        li.append(body, " ", sup);
        ul.append(li);
      }
      col.append(h, ul);
      return col;
    });
    columns.replaceChildren(...cols);
  };

  // changed reports whether the page no longer shows the right polls: a
  // poll opened or closed, appeared, or its results were shown or hidden.
  const changed = (t) => {
    if (isProjector) {
      // An official ended the workshop, or reopened it.
      if ((t.workshop_ended_at != null) !== (root.dataset.endedAt !== "")) return true;
      const cur = [...tallies.values()].find((f) => f.current);
      const id = cur ? String(cur.poll_id) : "";
      return id !== root.dataset.currentPoll || (cur && (cur.status !== root.dataset.currentStatus ||
        String(cur.show_results) !== root.dataset.showResults));
    }
    const el = document.querySelector(`[data-poll="${t.poll_id}"]`);
    if (!el) {
      // The ballot page shows open and closed polls; the control page every poll.
      return isBallot ? t.status !== "draft" : true;
    }
    if (el.dataset.status !== t.status) return true;
    return el.dataset.showResults !== undefined && el.dataset.showResults !== String(t.show_results);
  };

  const refresh = () => {
    if (reloading) return;
    if (!dirty) {
      reloading = true;
      location.reload();
      return;
    }
    // Unsent choices stay: offer the reload instead of doing it.
    if (statusEl && !statusEl.querySelector("button")) {
      statusEl.textContent = (statusEl.dataset.msgChanged || "") + " ";
      const b = document.createElement("button");
      b.type = "button";
      b.className = "link-button";
      b.textContent = statusEl.dataset.msgReload || "↻";
      b.addEventListener("click", () => location.reload());
      statusEl.append(b);
    }
  };

  const connect = () => {
    const scheme = location.protocol === "https:" ? "wss:" : "ws:";
    const ws = new WebSocket(`${scheme}//${location.host}/api/v1/workshops/${workshopID}/live`);
    ws.addEventListener("open", () => {
      backoff = 1000;
      say("Live");
    });
    ws.addEventListener("message", (ev) => {
      let t;
      try {
        t = JSON.parse(ev.data);
      } catch {
        return;
      }
      if (t.type === "participants") {
        for (const el of document.querySelectorAll(`[data-participants="${t.workshop_id}"]`)) {
          el.textContent = String(t.count);
        }
        return;
      }
      if (t.type === "wall") {
        if (isProjector) drawWall(t);
        return;
      }
      if (t.type !== "tally") return; // other frame types may come; they are not ours
      tallies.set(t.poll_id, t);
      update(t);
      // The frames of a connection's first batch come one by one: look at
      // what changed once they are all in.
      if (!checkPending) {
        checkPending = true;
        setTimeout(() => {
          checkPending = false;
          if ([...tallies.values()].some(changed)) refresh();
        }, 150);
      }
    });
    ws.addEventListener("close", () => {
      if (reloading) return;
      say("Lost");
      // Back off, with jitter so that a room of phones does not come back at once.
      setTimeout(connect, backoff / 2 + Math.random() * backoff);
      backoff = Math.min(backoff * 2, 30000);
    });
  };
  connect();

  // The projector can go full screen (a user gesture is needed for it). The
  // button goes in the join panel's tools, clear of the bars and counts.
  if (isProjector && document.fullscreenEnabled) {
    const b = document.createElement("button");
    b.type = "button";
    b.className = "button button-secondary projector-fullscreen";
    b.textContent = root.dataset.msgFullscreen || "⛶";
    b.addEventListener("click", () => {
      if (document.fullscreenElement) document.exitFullscreen();
      else document.documentElement.requestFullscreen();
    });
    (root.querySelector("[data-projector-tools]") || root).append(b);
  }
}
