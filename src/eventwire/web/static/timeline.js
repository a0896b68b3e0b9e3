// Events over time, drawn in SVG: bars per day, or per week or month when the dates span too long
// for days to be seen. Drag across it to choose a range (it snaps to whole bars); a click without
// dragging clears the range. `onRange(range)` gets {from, to} (YYYY-MM-DD, inclusive) or null.
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

// The bar holding day `n`: [start, end] day numbers for the unit.
const UNITS = {
  day: (n) => [n, n],
  week: (n) => { const start = n - ((n + 3) % 7); return [start, start + 6]; },   // Monday to Sunday
  month: (n) => {
    const d = new Date(n * DAY_MS);
    const start = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1) / DAY_MS;
    const end = Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1) / DAY_MS - 1;
    return [start, end];
  },
};

class Timeline {
  constructor(svg, onRange) {
    this.svg = svg;
    this.onRange = onRange;
    this.range = null;
    this.first = null;
    this.last = null;
    this.unit = "day";
    this.pad = { left: 28, right: 8, top: 6, bottom: 16 };
    this.drag = null;
    svg.addEventListener("mousedown", (e) => this._down(e));
    window.addEventListener("mousemove", (e) => this._move(e));
    window.addEventListener("mouseup", (e) => this._up(e));
    window.addEventListener("resize", () => this.redraw());
  }

  // counts: {YYYY-MM-DD: {all: n, shown: n}} for the days that have events.
  draw(counts) {
    const days = Object.keys(counts).map(dayNumber);
    if (!days.length) {
      this.first = this.last = null;
      this.bars = [];
      this.redraw();
      return;
    }
    const lo = Math.min(...days), hi = Math.max(...days);
    const span = hi - lo + 1;
    this.unit = span <= 180 ? "day" : span <= 3 * 365 ? "week" : "month";
    const bin = UNITS[this.unit];
    this.first = bin(lo)[0];
    this.last = bin(hi)[1];
    const bars = new Map();
    for (const [iso, c] of Object.entries(counts)) {
      const [start, end] = bin(dayNumber(iso));
      const bar = bars.get(start) || { start, end, all: 0, shown: 0 };
      bar.all += c.all;
      bar.shown += c.shown;
      bars.set(start, bar);
    }
    this.bars = [...bars.values()];
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
    this.step = (width - this.pad.left - this.pad.right) / (this.last - this.first + 1);
    const step = this.step;
    const max = Math.max(1, ...this.bars.map((b) => b.all));

    if (this.range) {
      const a = Math.max(this.first, dayNumber(this.range.from)), b = Math.min(this.last, dayNumber(this.range.to));
      if (b >= a) {
        svg.appendChild(this._el("rect", { class: "sel", x: this._x(a), y: this.pad.top,
          width: Math.max(2, (b - a + 1) * step), height: plotH }));
      }
    }
    for (const bar of this.bars) {
      const w = (bar.end - bar.start + 1) * step;
      const h = Math.max(1, (bar.all / max) * plotH);
      const rect = this._el("rect", {
        class: bar.shown > 0 ? "bar" : "bar out", x: this._x(bar.start) + w * 0.1, y: this.pad.top + plotH - h,
        width: Math.max(1, w * 0.8), height: h,
        "data-day": isoDay(bar.start), "data-end": isoDay(bar.end), "data-count": bar.all,
      });
      const tip = this._el("title", {});
      const when = bar.start === bar.end ? isoDay(bar.start) : `${isoDay(bar.start)} to ${isoDay(bar.end)}`;
      tip.textContent = `${when}: ${bar.all} event${bar.all === 1 ? "" : "s"}`;
      rect.appendChild(tip);
      svg.appendChild(rect);
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

  _rangeTo(clientX) {
    const bin = UNITS[this.unit];
    const a = bin(this.drag.start), b = bin(this._dayAt(clientX));
    return { from: isoDay(Math.min(a[0], b[0])), to: isoDay(Math.max(a[1], b[1])) };
  }

  _down(e) {
    if (this.first === null) return;
    e.preventDefault();
    this.drag = { start: this._dayAt(e.clientX), startX: e.clientX, moved: false };
  }

  _move(e) {
    if (!this.drag) return;
    if (Math.abs(e.clientX - this.drag.startX) > 3) this.drag.moved = true;
    if (this.drag.moved) this.setRange(this._rangeTo(e.clientX));
  }

  _up(e) {
    if (!this.drag) return;
    const moved = this.drag.moved;
    const range = moved ? this._rangeTo(e.clientX) : null;
    this.drag = null;
    this.setRange(range);
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
