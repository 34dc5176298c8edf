// grid2d.js offers each two-axis question of a survey form ([data-grid2d])
// as a plane: the respondent places each item by dragging it, or by
// focusing it and moving it with the arrow keys, and the plane writes the
// same form fields as the plain form (a radio group or a number field per
// axis and item), so that the server reads one form either way. Items left
// off the plane are skipped. The plain form stays one button away.
//
// Without this script (or with it failing) the plain form is the whole
// form: nothing here is needed to answer.

const SVG = "http://www.w3.org/2000/svg";
// PAD keeps the axes' ends this far (in per cent) inside the plane, so that
// an item at an end stays on it.
const PAD = 6;

// at is where value v of axis ax lies along the plane, in per cent.
const at = (ax, v) => PAD + ((100 - 2 * PAD) * (v - ax.min)) / (ax.max - ax.min);
// valueAt is the value of axis ax at fraction f (0–1) along the plane.
const valueAt = (ax, f) => ax.min + clamp((100 * f - PAD) / (100 - 2 * PAD)) * (ax.max - ax.min);

for (const question of document.querySelectorAll("[data-grid2d]")) {
  enhance(question);
}

function enhance(question) {
  const ds = question.dataset;
  const axes = { x: readAxis(question, "x"), y: readAxis(question, "y") };
  const plain = question.querySelector(".grid2d-items");
  const items = [...question.querySelectorAll(".grid2d-item")].map((el) => {
    const legend = el.querySelector("legend");
    return { el, field: el.dataset.field, label: legend.textContent.trim(), lang: legend.lang, x: null, y: null, token: null };
  });
  if (!plain || items.length === 0) return;

  const widget = el("div", "grid2d-widget");
  const helpId = question.id + "-plane-help";
  const help = el("p", "help grid2d-help", ds.msgHelp);
  help.id = helpId;

  const toggle = el("button", "button button-secondary button-small grid2d-toggle", ds.msgPlain);
  toggle.type = "button";
  toggle.setAttribute("aria-pressed", "false");

  const board = el("div", "grid2d-board");
  // The axes' names with their end values: low to high, left to right and
  // bottom to top.
  const yLabel = axisLabel("grid2d-ylabel", axes.y.format(axes.y.max), axes.y.label, axes.y.format(axes.y.min));
  const area = el("div", "grid2d-area");
  area.setAttribute("role", "group");
  area.setAttribute("aria-label", ds.msgPlane);
  area.append(backdrop(axes));
  const xLabel = axisLabel("grid2d-xlabel", axes.x.format(axes.x.min), axes.x.label, axes.x.format(axes.x.max));
  board.append(yLabel, area, xLabel);

  const tray = el("div", "grid2d-tray");
  const trayHeading = el("p", "grid2d-tray-heading", ds.msgUnratedHeading);
  const trayList = el("div", "grid2d-tray-list");
  tray.append(trayHeading, trayList);

  const live = el("p", "visually-hidden");
  live.setAttribute("role", "status");

  widget.append(help, board, tray, live);
  plain.before(toggle, widget);
  question.classList.add("grid2d-enhanced");

  for (const item of items) {
    readFields(item, axes);
    item.token = makeToken(item);
    place(item);
  }

  toggle.addEventListener("click", () => {
    const showPlain = !question.classList.contains("grid2d-plain");
    question.classList.toggle("grid2d-plain", showPlain);
    toggle.setAttribute("aria-pressed", String(showPlain));
    toggle.textContent = showPlain ? ds.msgShowPlane : ds.msgPlain;
    if (!showPlain) {
      // The plain fields may have changed meanwhile: they are the truth.
      for (const item of items) {
        readFields(item, axes);
        place(item);
      }
    }
  });

  function makeToken(item) {
    const b = el("button", "grid2d-token");
    b.type = "button";
    const dot = el("span", "grid2d-dot");
    dot.setAttribute("aria-hidden", "true");
    const text = el("span", "grid2d-token-label", item.label);
    if (item.lang) text.lang = item.lang;
    b.append(dot, text);
    b.title = item.label;
    b.setAttribute("aria-describedby", helpId);
    b.addEventListener("keydown", (ev) => onKey(item, ev));
    b.addEventListener("pointerdown", (ev) => startDrag(item, ev));
    return b;
  }

  // name is what a screen reader says of an item: its label and its place.
  function name(item) {
    if (item.x === null || item.y === null) return `${item.label}: ${ds.msgUnrated}`;
    return `${item.label}: ${axes.x.label} ${axes.x.format(item.x)}, ${axes.y.label} ${axes.y.format(item.y)}`;
  }

  // place shows the item where its values put it (or in the tray) and
  // names it; it keeps the focus on the item if it had it.
  function place(item) {
    const t = item.token;
    const focused = document.activeElement === t;
    const rated = item.x !== null && item.y !== null;
    if (rated) {
      if (t.parentElement !== area) area.append(t);
      t.style.left = `${at(axes.x, item.x)}%`;
      t.style.top = `${100 - at(axes.y, item.y)}%`;
    } else {
      if (t.parentElement !== trayList) trayList.append(t);
      t.style.left = "";
      t.style.top = "";
    }
    t.classList.toggle("grid2d-placed", rated);
    // An item right of the middle has its name on its left, inside the plane.
    t.classList.toggle("grid2d-left", rated && item.x > (axes.x.min + axes.x.max) / 2);
    t.setAttribute("aria-label", name(item));
    if (focused && document.activeElement !== t) t.focus();
  }

  // set moves an item to x, y (null takes it off the plane), writes the
  // form's fields and says where it went.
  function set(item, x, y, announce) {
    item.x = x === null ? null : axes.x.snap(x);
    item.y = y === null ? null : axes.y.snap(y);
    writeFields(item, axes);
    place(item);
    if (announce) live.textContent = name(item);
  }

  function onKey(item, ev) {
    const unrated = item.x === null || item.y === null;
    let x = unrated ? axes.x.mid() : item.x;
    let y = unrated ? axes.y.mid() : item.y;
    switch (ev.key) {
      case "ArrowRight": if (!unrated) x += axes.x.step; break;
      case "ArrowLeft": if (!unrated) x -= axes.x.step; break;
      case "ArrowUp": if (!unrated) y += axes.y.step; break;
      case "ArrowDown": if (!unrated) y -= axes.y.step; break;
      case "Enter":
      case " ":
        if (!unrated) return;
        break;
      case "Delete":
      case "Backspace":
        ev.preventDefault();
        set(item, null, null, true);
        return;
      default:
        return;
    }
    ev.preventDefault();
    set(item, x, y, true);
  }

  // startDrag follows the pointer on the document, not on the item: the
  // item moves from the tray into the plane on the way, and an element
  // that moves in the document loses its pointer capture.
  function startDrag(item, ev) {
    if (ev.button !== 0) return;
    const t = item.token;
    ev.preventDefault();
    t.focus();
    t.classList.add("grid2d-dragging");
    let last = ev;
    const move = (e) => {
      if (e.pointerId !== ev.pointerId) return;
      last = e;
      e.preventDefault();
      const r = area.getBoundingClientRect();
      const fx = (e.clientX - r.left) / r.width;
      const fy = (e.clientY - r.top) / r.height;
      const inside = fx >= 0 && fx <= 1 && fy >= 0 && fy <= 1;
      if (!inside && item.x === null) return; // still outside, from the tray
      set(item, valueAt(axes.x, fx), valueAt(axes.y, 1 - fy), false);
    };
    const end = (e) => {
      if (e.pointerId !== ev.pointerId) return;
      // Dropped on the unrated ones: taken off the plane.
      const tr = tray.getBoundingClientRect();
      if (last.clientX >= tr.left && last.clientX <= tr.right && last.clientY >= tr.top && last.clientY <= tr.bottom) {
        set(item, null, null, false);
      }
      t.classList.remove("grid2d-dragging");
      document.removeEventListener("pointermove", move);
      document.removeEventListener("pointerup", end);
      document.removeEventListener("pointercancel", end);
      live.textContent = name(item);
      if (document.activeElement !== t) t.focus();
    };
    document.addEventListener("pointermove", move);
    document.addEventListener("pointerup", end);
    document.addEventListener("pointercancel", end);
  }
}

// readAxis reads an axis from the question's data attributes and its
// fields: a few whole values (radio buttons), or any value (number fields).
function readAxis(question, name) {
  const ds = question.dataset;
  const min = Number(ds[name + "Min"]);
  const max = Number(ds[name + "Max"]);
  const stepped = question.querySelector(`fieldset.grid2d-axis[data-axis="${name}"]`) !== null;
  // A long axis moves a hundredth of its length per key press.
  const step = stepped ? 1 : niceStep((max - min) / 100);
  const decimals = Math.max(0, Math.ceil(-Math.log10(step)));
  const snap = (v) => {
    const s = Math.round((Math.min(max, Math.max(min, v)) - min) / step) * step + min;
    return Number(Math.min(max, Math.max(min, s)).toFixed(decimals));
  };
  return {
    name, min, max, step, stepped, snap,
    label: ds[name + "Label"] || name,
    mid: () => snap((min + max) / 2),
    format: (v) => v.toLocaleString(document.documentElement.lang || undefined, { maximumFractionDigits: decimals }),
  };
}

function niceStep(raw) {
  const p = Math.pow(10, Math.floor(Math.log10(raw)));
  for (const m of [1, 2, 5, 10]) {
    if (m * p >= raw) return m * p;
  }
  return 10 * p;
}

// readFields reads an item's values from the plain form.
function readFields(item, axes) {
  for (const a of ["x", "y"]) {
    const name = `${item.field}_${a}`;
    let raw = "";
    if (axes[a].stepped) {
      const checked = item.el.querySelector(`input[name="${name}"]:checked`);
      raw = checked ? checked.value : "";
    } else {
      const input = item.el.querySelector(`input[name="${name}"]`);
      raw = input ? input.value.trim().replace(",", ".") : "";
    }
    const v = raw === "" ? NaN : Number(raw);
    item[a] = Number.isFinite(v) ? axes[a].snap(v) : null;
  }
  if (item.x === null || item.y === null) {
    item.x = null;
    item.y = null;
  }
}

// writeFields writes an item's values into the plain form.
function writeFields(item, axes) {
  for (const a of ["x", "y"]) {
    const name = `${item.field}_${a}`;
    const v = item[a];
    if (axes[a].stepped) {
      const value = v === null ? "" : String(v);
      const radio = item.el.querySelector(`input[name="${name}"][value="${value}"]`);
      if (radio) radio.checked = true;
    } else {
      const input = item.el.querySelector(`input[name="${name}"]`);
      if (input) input.value = v === null ? "" : String(v);
    }
  }
}

// backdrop draws the plane's grid: a line at each whole value of a short
// axis, the midlines stronger, and the axes' end values.
function backdrop(axes) {
  const svg = document.createElementNS(SVG, "svg");
  svg.setAttribute("class", "grid2d-backdrop");
  svg.setAttribute("viewBox", "0 0 100 100");
  svg.setAttribute("preserveAspectRatio", "none");
  svg.setAttribute("aria-hidden", "true");
  svg.setAttribute("focusable", "false");
  const line = (x1, y1, x2, y2, cls) => {
    const l = document.createElementNS(SVG, "line");
    for (const [k, v] of Object.entries({ x1, y1, x2, y2 })) l.setAttribute(k, String(v));
    l.setAttribute("class", cls);
    l.setAttribute("vector-effect", "non-scaling-stroke");
    svg.append(l);
  };
  for (const a of ["x", "y"]) {
    const ax = axes[a];
    if (ax.stepped) {
      for (let v = ax.min; v <= ax.max; v++) {
        const f = at(ax, v);
        if (a === "x") line(f, 0, f, 100, "grid2d-gridline");
        else line(0, 100 - f, 100, 100 - f, "grid2d-gridline");
      }
    }
  }
  const mx = at(axes.x, (axes.x.min + axes.x.max) / 2);
  const my = 100 - at(axes.y, (axes.y.min + axes.y.max) / 2);
  line(mx, 0, mx, 100, "grid2d-midline");
  line(0, my, 100, my, "grid2d-midline");
  return svg;
}

// axisLabel is an axis's name between its end values; the plane's group
// and its items already say this to screen readers.
function axisLabel(className, first, label, last) {
  const d = el("div", className);
  d.setAttribute("aria-hidden", "true");
  d.append(el("span", "grid2d-end", first), el("span", "grid2d-axis-name", label), el("span", "grid2d-end", last));
  return d;
}

function clamp(f) {
  return Math.min(1, Math.max(0, f));
}

function el(tag, className, text) {
  const e = document.createElement(tag);
  if (className) e.className = className;
  if (text !== undefined) e.textContent = text;
  return e;
}
