// The score over the last minutes as an SVG line, with the threshold as a dashed line and every interrupt marked.
// ScoreHistory holds the points: what the server's journal had for the window when the page started (GET /history,
// merged again after every reconnect) and what arrived live since; load() merges the two without duplicates.

const SVG = "http://www.w3.org/2000/svg";

/** Keeps at most one point per `resolutionMs` (the latest of that slot) and forgets what is older than `keepMs`. */
export class ScoreHistory {
  constructor({ keepMs = 15 * 60_000, resolutionMs = 250 } = {}) {
    this.keepMs = keepMs;
    this.resolutionMs = resolutionMs;
    this.points = []; // { t, score }, ascending t
    this.interrupts = []; // { t, score, forced }
  }

  add(t, score) {
    if (!Number.isFinite(t) || !Number.isFinite(score)) return;
    const last = this.points[this.points.length - 1];
    if (last && t < last.t) {
      // Out of order (a replay after a reconnect, or a loaded history): insert in place.
      this.load([{ t, score }]);
      return;
    }
    if (last && t - last.t < this.resolutionMs && Math.floor(t / this.resolutionMs) === Math.floor(last.t / this.resolutionMs)) {
      last.t = t;
      last.score = score;
    } else {
      this.points.push({ t, score });
    }
    this.trim(t);
  }

  addInterrupt(t, score, forced) {
    if (!Number.isFinite(t)) return;
    // The same interrupt live and again from history (or from two history loads) is one mark: same time, same kind.
    if (this.interrupts.some(i => i.t === t && i.forced === !!forced)) return;
    this.interrupts.push({ t, score, forced: !!forced });
    this.interrupts.sort((a, b) => a.t - b.t);
    this.trim(t);
  }

  /**
   * Merges points ({ t: millis, score }) from another source, such as the server's history, in any order. One point per
   * `resolutionMs` slot, as add() keeps them: where both have a point in a slot, the later score wins, so a score seen
   * live and again in the history (where its bucket is placed at its last score's time) is drawn once.
   */
  load(points, interrupts = []) {
    const slot = t => Math.floor(t / this.resolutionMs);
    const merged = new Map(this.points.map(p => [slot(p.t), p]));
    for (const p of points) {
      if (!Number.isFinite(p.t) || !Number.isFinite(p.score)) continue;
      const kept = merged.get(slot(p.t));
      if (!kept || p.t >= kept.t) merged.set(slot(p.t), { t: p.t, score: p.score });
    }
    this.points = [...merged.values()].sort((a, b) => a.t - b.t);
    for (const i of interrupts) this.addInterrupt(i.t, i.score, i.forced);
    const newest = this.points[this.points.length - 1];
    if (newest) this.trim(newest.t);
  }

  trim(now) {
    const cutoff = now - this.keepMs;
    let drop = 0;
    while (drop < this.points.length && this.points[drop].t < cutoff) drop++;
    if (drop > 0) this.points.splice(0, drop);
    while (this.interrupts.length && this.interrupts[0].t < cutoff) this.interrupts.shift();
  }

  window(from, to) {
    return {
      points: this.points.filter(p => p.t >= from && p.t <= to),
      interrupts: this.interrupts.filter(i => i.t >= from && i.t <= to),
    };
  }
}

function el(name, attributes, parent) {
  const node = document.createElementNS(SVG, name);
  for (const [key, value] of Object.entries(attributes)) node.setAttribute(key, String(value));
  parent.appendChild(node);
  return node;
}

export class ScoreChart {
  constructor(svg, history, { windowMs = 5 * 60_000, minimumMs = 30_000 } = {}) {
    this.svg = svg;
    this.history = history;
    this.windowMs = windowMs;
    this.minimumMs = minimumMs;
    this.threshold = null;
    this.size = { width: 0, height: 0 };
    if (typeof ResizeObserver === "function") {
      new ResizeObserver(entries => {
        const box = entries[0].contentRect;
        this.size = { width: box.width, height: box.height };
        this.render(this.lastNow ?? Date.now());
      }).observe(svg);
    }
  }

  setThreshold(threshold) {
    this.threshold = threshold;
  }

  /** The span the x axis shows: the last `windowMs`, or since the first point when there is less (at least `minimumMs`). */
  span(now) {
    const first = this.history.points[0]?.t;
    const available = first == null ? 0 : now - first;
    return Math.min(this.windowMs, Math.max(this.minimumMs, available));
  }

  render(now) {
    this.lastNow = now;
    const width = this.size.width || this.svg.clientWidth || 600;
    const height = this.size.height || this.svg.clientHeight || 220;
    const left = 30;
    const right = 8;
    const top = 10;
    const bottom = 22;
    const plotW = Math.max(10, width - left - right);
    const plotH = Math.max(10, height - top - bottom);
    const span = this.span(now);
    const from = now - span;
    const x = t => left + ((t - from) / span) * plotW;
    const y = s => top + (1 - Math.min(100, Math.max(0, s)) / 100) * plotH;

    this.svg.setAttribute("viewBox", `0 0 ${width.toFixed(0)} ${height.toFixed(0)}`);
    this.svg.dataset.spanMs = String(Math.round(Math.min(span, now - (this.history.points[0]?.t ?? now))));
    // The oldest point held and how many (for tests and for anyone inspecting the page; the drawing does not use them).
    this.svg.dataset.oldestPoint = String(this.history.points[0]?.t ?? "");
    this.svg.dataset.points = String(this.history.points.length);
    this.svg.replaceChildren();

    for (const s of [0, 25, 50, 75, 100]) {
      el("line", { class: "gridline", x1: left, x2: left + plotW, y1: y(s), y2: y(s) }, this.svg);
      el("text", { class: "axis-label", x: left - 6, y: y(s) + 4, "text-anchor": "end" }, this.svg).textContent = String(s);
    }
    // About five time labels, on round steps, placed so that they never crowd a narrow (phone) chart.
    const steps = [5_000, 10_000, 15_000, 30_000, 60_000, 120_000, 300_000];
    const maxLabels = Math.max(2, Math.min(6, Math.floor(plotW / 70)));
    const step = steps.find(s => span / s <= maxLabels) ?? steps[steps.length - 1];
    for (let ago = 0; ago <= span + 1; ago += step) {
      const t = now - ago;
      const label = ago === 0 ? "now" : ago % 60_000 === 0 ? `−${ago / 60_000} min` : `−${Math.round(ago / 1000)} s`;
      const anchor = ago === 0 ? "end" : x(t) - left < 24 ? "start" : "middle";
      el("text", { class: "axis-label", x: x(t), y: height - 5, "text-anchor": anchor }, this.svg).textContent = label;
    }

    if (typeof this.threshold === "number") {
      el("line", { class: "threshold", x1: left, x2: left + plotW, y1: y(this.threshold), y2: y(this.threshold) }, this.svg);
      el("text", { class: "threshold-label", x: left + 4, y: y(this.threshold) - 4 }, this.svg).textContent = `threshold ${Math.round(this.threshold)}`;
    }

    const { points, interrupts } = this.history.window(from - 2000, now + 2000);
    if (points.length === 0) {
      el("text", { class: "empty", x: left + plotW / 2, y: top + plotH / 2, "text-anchor": "middle" }, this.svg).textContent = "Waiting for scores…";
      this.svg.setAttribute("aria-label", "Score chart: no scores yet.");
      return;
    }

    // A gap of more than 5 s (a disconnect, a restart) breaks the line instead of drawing across it.
    const segments = [];
    let current = [];
    for (let i = 0; i < points.length; i++) {
      if (i > 0 && points[i].t - points[i - 1].t > 5000) {
        segments.push(current);
        current = [];
      }
      current.push(points[i]);
    }
    segments.push(current);
    for (const segment of segments) {
      const line = segment.map(p => `${x(Math.max(from, p.t)).toFixed(1)},${y(p.score).toFixed(1)}`).join(" ");
      if (segment.length > 1) {
        const first = x(Math.max(from, segment[0].t)).toFixed(1);
        const last = x(Math.max(from, segment[segment.length - 1].t)).toFixed(1);
        el("polygon", { class: "area", points: `${first},${y(0)} ${line} ${last},${y(0)}` }, this.svg);
      }
      el("polyline", { class: "line", points: line }, this.svg);
    }

    for (const i of interrupts) {
      const xi = x(i.t);
      el("line", { class: "interrupt-line", x1: xi, x2: xi, y1: top, y2: top + plotH }, this.svg);
      el("path", { class: "interrupt-mark", d: `M ${xi - 6} ${top - 2} L ${xi + 6} ${top - 2} L ${xi} ${top + 8} Z` }, this.svg)
        .appendChild(document.createElementNS(SVG, "title")).textContent = `${i.forced ? "Forced interrupt" : "Interrupt"} at ${i.score.toFixed(1)}`;
    }

    const scores = points.map(p => p.score);
    const low = Math.min(...scores);
    const high = Math.max(...scores);
    const latest = scores[scores.length - 1];
    this.svg.setAttribute("aria-label",
      `Score chart, last ${Math.round(span / 1000)} seconds: between ${low.toFixed(0)} and ${high.toFixed(0)}, now ${latest.toFixed(0)}` +
      (typeof this.threshold === "number" ? `, threshold ${Math.round(this.threshold)}` : "") +
      `; ${interrupts.length} interrupt${interrupts.length === 1 ? "" : "s"}.`);
  }
}
