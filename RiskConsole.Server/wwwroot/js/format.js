// Small, pure helpers shared by the panels: timestamps, numbers, risk levels. No DOM here.

/** A wire timestamp as a Date: JSON sends an ISO 8601 string, MessagePack [Date (clock reading labelled UTC), offset minutes]. */
export function toDate(value) {
  if (value == null) return null;
  if (value instanceof Date) return value;
  if (typeof value === "string") {
    const date = new Date(value);
    return Number.isNaN(date.getTime()) ? null : date;
  }
  if (Array.isArray(value) && value[0] instanceof Date) {
    return new Date(value[0].getTime() - (value[1] || 0) * 60_000);
  }
  return null;
}

/** Milliseconds since the epoch of a wire timestamp, or null. */
export function toMillis(value) {
  const date = toDate(value);
  return date ? date.getTime() : null;
}

const timeFormat = new Intl.DateTimeFormat(undefined, { hour: "2-digit", minute: "2-digit", second: "2-digit", hour12: false });
const dateTimeFormat = new Intl.DateTimeFormat(undefined, { month: "short", day: "numeric", hour: "2-digit", minute: "2-digit", second: "2-digit", hour12: false });

export function formatTime(millis) {
  return millis == null ? "–" : timeFormat.format(new Date(millis));
}

/** Time of day when it is today, date and time otherwise. */
export function formatWhen(millis, now = Date.now()) {
  if (millis == null) return "–";
  return Math.abs(now - millis) < 20 * 3600_000 ? timeFormat.format(new Date(millis)) : dateTimeFormat.format(new Date(millis));
}

/** "just now", "12 s ago", "4 min ago", "2 h ago"; clock differences of a second either way read as "just now". */
export function formatAge(ms) {
  if (ms == null || !Number.isFinite(ms)) return "–";
  if (ms < 1500) return "just now";
  const seconds = Math.round(ms / 1000);
  if (seconds < 90) return `${seconds} s ago`;
  const minutes = Math.round(seconds / 60);
  if (minutes < 90) return `${minutes} min ago`;
  const hours = Math.round(minutes / 60);
  if (hours < 48) return `${hours} h ago`;
  return `${Math.round(hours / 24)} days ago`;
}

/** "4 min", "2 h 5 min": how long something has lasted. */
export function formatDuration(ms) {
  if (ms == null || !Number.isFinite(ms) || ms < 0) return "";
  const seconds = Math.floor(ms / 1000);
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  return `${hours} h ${minutes % 60} min`;
}

const countFormat = new Intl.NumberFormat(undefined, { maximumFractionDigits: 0 });
export function formatCount(n) {
  return typeof n === "number" && Number.isFinite(n) ? countFormat.format(n) : "–";
}

export function formatNumber(n, digits = 2) {
  if (typeof n !== "number" || !Number.isFinite(n)) return "–";
  return n.toLocaleString(undefined, { minimumFractionDigits: 0, maximumFractionDigits: digits });
}

/** A price with as many decimals as its size needs: 89,321.45 · 139.46 · 0.4312. */
export function formatPrice(price) {
  if (typeof price !== "number" || !Number.isFinite(price)) return "–";
  const abs = Math.abs(price);
  const digits = abs >= 1000 ? 2 : abs >= 1 ? (abs >= 100 ? 2 : 3) : 5;
  return price.toLocaleString(undefined, { minimumFractionDigits: Math.min(2, digits), maximumFractionDigits: digits });
}

/** A fraction 0..1 as a percentage: 0.4312 → "43 %". */
export function formatPercent(fraction, digits = 0) {
  if (typeof fraction !== "number" || !Number.isFinite(fraction)) return "–";
  return `${(fraction * 100).toFixed(digits)} %`;
}

/** A signed percentage change with an arrow, so the direction does not depend on colour: "▲ +0.42 %". */
export function formatChange(fraction) {
  if (typeof fraction !== "number" || !Number.isFinite(fraction)) return { text: "–", direction: "flat" };
  const percent = fraction * 100;
  if (Math.abs(percent) < 0.005) return { text: "● 0.00 %", direction: "flat" };
  const sign = percent > 0 ? "+" : "−";
  return { text: `${percent > 0 ? "▲" : "▼"} ${sign}${Math.abs(percent).toFixed(2)} %`, direction: percent > 0 ? "up" : "down" };
}

export function formatScore(score) {
  return typeof score === "number" && Number.isFinite(score) ? score.toFixed(1) : "–";
}

/**
 * The level of a score relative to the interrupt threshold. Each level has a name and a shape as well as a colour.
 * critical: at or above the threshold; high: within 15 points of it; elevated: within 35; low below that.
 */
export function levelOf(score, threshold) {
  if (typeof score !== "number" || !Number.isFinite(score)) return LEVELS.none;
  const t = typeof threshold === "number" && Number.isFinite(threshold) ? threshold : 75;
  if (score >= t) return LEVELS.critical;
  if (score >= t - 15) return LEVELS.high;
  if (score >= t - 35) return LEVELS.elevated;
  return LEVELS.low;
}

export const LEVELS = Object.freeze({
  none: { id: "none", label: "No score yet", shape: "○" },
  low: { id: "low", label: "Low", shape: "●" },
  elevated: { id: "elevated", label: "Elevated", shape: "▲" },
  high: { id: "high", label: "High", shape: "◆" },
  critical: { id: "critical", label: "Above threshold", shape: "■" },
});

/** The level of a component risk (0..1): the same bands as the score against a threshold of 75. */
export function componentLevel(fraction) {
  return typeof fraction === "number" ? levelOf(fraction * 100, 75) : LEVELS.none;
}

/** A compound sentiment (−1..1) as a word, a sign and a number: "negative −0.72". */
export function describeSentiment(compound) {
  if (typeof compound !== "number" || !Number.isFinite(compound)) return { word: "unscored", text: "–", kind: "neutral" };
  const kind = compound <= -0.05 ? "negative" : compound >= 0.05 ? "positive" : "neutral";
  const sign = compound > 0 ? "+" : compound < 0 ? "−" : "";
  return { word: kind, text: `${sign}${Math.abs(compound).toFixed(2)}`, kind };
}

/** The text of a hub error without SignalR's prefix ("An unexpected error occurred invoking 'X' on the server. HubException: "). */
export function hubErrorMessage(error) {
  const message = (error && (error.message || String(error))) || "Unknown error";
  const marker = "HubException: ";
  const at = message.lastIndexOf(marker);
  return at >= 0 ? message.slice(at + marker.length) : message;
}
