// Events-per-day timeline drawn in SVG. Drag across it to choose a range of days; a click
// without dragging clears the range. `onRange(range)` gets {from, to} (YYYY-MM-DD) or null.
"use strict";

const DAY_MS = 86400000;
const SVG_NS = "http://www.w3.org/2000/svg";

function dayNumber(iso) {
  const [y, m, d] = iso.split("-").map(Number);
  return Math.floor(Date.UTC(y, m - 1, d) / DAY_MS);
}

function isoDay(n) {
  return new Date(n * DAY_MS).toISOString().slice(0, 10);
}

class Timeline {
  constructor(svg, onRange) {
    this.svg = svg;
    this.onRange = onRange;
    this.range = null;
    this.first = null;
    this.last = null;
    this.pad = { left: 28, right: 8, top: 6, bottom: 16 };
    this.drag = null;
    svg.addEventListener("mousedown", (e) => this._down(e));
    window.addEventListener("mousemove", (e) => this._move(e));
    window.addEventListener("mouseup", (e) => this._up(e));
    window.addEventListener("resize", () => this.redraw());
  }

  // counts: {YYYY-MM-DD: {all: n, shown: n}} for the days that have events.
  draw(counts) {
    this.counts = counts;
    const days = Object.keys(counts).map(dayNumber);
    this.first = days.length ? Math.min(...days) : null;
    this.last = days.length ? Math.max(...days) : null;
    this.redraw();
  }

  redraw() {
    const svg = this.svg;
    while (svg.firstChild) svg.removeChild(svg.firstChild);
    if (this.first === null) {
      this._text(this.pad.left, 40, "no dated events");
      return;
    }
    const width = svg.clientWidth || 600;
    const height = svg.clientHeight || 95;
    const plotH = height - this.pad.top - this.pad.bottom;
    const n = this.last - this.first + 1;
    const step = (width - this.pad.left - this.pad.right) / n;
    let max = 1;
    for (const c of Object.values(this.counts)) max = Math.max(max, c.all);
    this.step = step;

    if (this.range) {
      const a = dayNumber(this.range.from), b = dayNumber(this.range.to);
      const sel = this._el("rect", { class: "sel", x: this._x(a), y: this.pad.top,
        width: Math.max(2, (b - a + 1) * step), height: plotH });
      svg.appendChild(sel);
    }
    for (const [iso, c] of Object.entries(this.counts)) {
      const x = this._x(dayNumber(iso));
      const h = Math.max(1, (c.all / max) * plotH);
      const bar = this._el("rect", {
        class: c.shown > 0 ? "bar" : "bar out", x: x + step * 0.1, y: this.pad.top + plotH - h,
        width: Math.max(1, step * 0.8), height: h, "data-day": iso, "data-count": c.all,
      });
      const tip = this._el("title", {});
      tip.textContent = `${iso}: ${c.all} event${c.all === 1 ? "" : "s"}`;
      bar.appendChild(tip);
      svg.appendChild(bar);
    }
    this._text(2, this.pad.top + 8, String(max));
    this._text(this.pad.left, height - 3, isoDay(this.first));
    const end = this._text(width - this.pad.right, height - 3, isoDay(this.last));
    end.setAttribute("text-anchor", "end");
  }

  setRange(range) {
    this.range = range;
    this.redraw();
  }

  _x(day) {
    return this.pad.left + (day - this.first) * this.step;
  }

  _dayAt(clientX) {
    const box = this.svg.getBoundingClientRect();
    const i = Math.floor((clientX - box.left - this.pad.left) / this.step);
    return this.first + Math.min(this.last - this.first, Math.max(0, i));
  }

  _down(e) {
    if (this.first === null) return;
    e.preventDefault();
    this.drag = { start: this._dayAt(e.clientX), startX: e.clientX, moved: false };
  }

  _move(e) {
    if (!this.drag) return;
    if (Math.abs(e.clientX - this.drag.startX) > 3) this.drag.moved = true;
    if (!this.drag.moved) return;
    const a = this.drag.start, b = this._dayAt(e.clientX);
    this.setRange({ from: isoDay(Math.min(a, b)), to: isoDay(Math.max(a, b)) });
  }

  _up(e) {
    if (!this.drag) return;
    const drag = this.drag;
    this.drag = null;
    if (!drag.moved) {
      this.setRange(null);
    } else {
      const b = this._dayAt(e.clientX);
      this.setRange({ from: isoDay(Math.min(drag.start, b)), to: isoDay(Math.max(drag.start, b)) });
    }
    this.onRange(this.range);
  }

  _el(name, attrs) {
    const el = document.createElementNS(SVG_NS, name);
    for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, v);
    return el;
  }

  _text(x, y, s) {
    const t = this._el("text", { x, y });
    t.textContent = s;
    this.svg.appendChild(t);
    return t;
  }
}

window.Timeline = Timeline;
