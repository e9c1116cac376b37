// The score gauge: a half circle from 0 (left) to 100 (right), the value arc coloured by level, the level zones as a
// thin inner arc, and the interrupt threshold as a tick with its number.

const SVG = "http://www.w3.org/2000/svg";
const CX = 110;
const CY = 112;
const R = 90;
const ZONE_R = 74;

function point(fraction, radius) {
  const angle = Math.PI * (1 - Math.min(1, Math.max(0, fraction)));
  return [CX + radius * Math.cos(angle), CY - radius * Math.sin(angle)];
}

function arc(from, to, radius) {
  const [x1, y1] = point(from, radius);
  const [x2, y2] = point(to, radius);
  return `M ${x1.toFixed(2)} ${y1.toFixed(2)} A ${radius} ${radius} 0 0 1 ${x2.toFixed(2)} ${y2.toFixed(2)}`;
}

function element(name, attributes, parent) {
  const node = document.createElementNS(SVG, name);
  for (const [key, value] of Object.entries(attributes)) node.setAttribute(key, String(value));
  parent?.appendChild(node);
  return node;
}

export class Gauge {
  constructor(svg, container) {
    this.svg = svg;
    this.container = container;
    element("path", { class: "track", d: arc(0, 1, R) }, svg);
    this.zones = element("g", { "aria-hidden": "true" }, svg);
    this.value = element("path", { class: "value", d: arc(0, 1, R), pathLength: 100, "stroke-dasharray": "0 100" }, svg);
    this.tick = element("line", { class: "threshold-tick" }, svg);
    this.tickLabel = element("text", { class: "threshold-label", "text-anchor": "middle" }, svg);
    element("text", { class: "scale-label", x: CX - R, y: CY + 14, "text-anchor": "middle" }, svg).textContent = "0";
    element("text", { class: "scale-label", x: CX + R, y: CY + 14, "text-anchor": "middle" }, svg).textContent = "100";
    this.threshold = null;
  }

  setThreshold(threshold) {
    if (typeof threshold !== "number" || threshold === this.threshold) return;
    this.threshold = threshold;
    const t = threshold / 100;
    const [x1, y1] = point(t, ZONE_R - 6);
    const [x2, y2] = point(t, R + 11);
    this.tick.setAttribute("x1", x1.toFixed(2));
    this.tick.setAttribute("y1", y1.toFixed(2));
    this.tick.setAttribute("x2", x2.toFixed(2));
    this.tick.setAttribute("y2", y2.toFixed(2));
    const [lx, ly] = point(t, R + 20);
    this.tickLabel.setAttribute("x", lx.toFixed(2));
    this.tickLabel.setAttribute("y", (ly + 3).toFixed(2));
    this.tickLabel.textContent = `threshold ${Math.round(threshold)}`;

    this.zones.replaceChildren();
    const bands = [
      ["low", 0, threshold - 35],
      ["elevated", threshold - 35, threshold - 15],
      ["high", threshold - 15, threshold],
      ["critical", threshold, 100],
    ];
    for (const [name, from, to] of bands) {
      const a = Math.max(0, from) / 100;
      const b = Math.min(100, to) / 100;
      if (b - a > 0.004) element("path", { class: `zone ${name}`, d: arc(a, b, ZONE_R) }, this.zones);
    }
  }

  update(score, level) {
    const clamped = Math.min(100, Math.max(0, score));
    this.value.setAttribute("stroke-dasharray", `${clamped.toFixed(2)} 100`);
    this.container.dataset.level = level.id;
  }
}
