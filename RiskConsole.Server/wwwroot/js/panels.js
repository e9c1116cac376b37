// Rendering of the panels from plain data. Each function takes what it shows and writes the DOM; none of them talks to
// the server, so they can be exercised on their own (the browser tests render source cards this way).
import {
  componentLevel, describeSentiment, formatAge, formatChange, formatCount, formatDuration, formatNumber,
  formatPercent, formatPrice, formatTime, formatWhen, toMillis,
} from "./format.js";

function h(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attributes)) {
    if (value == null || value === false) continue;
    if (key === "class") node.className = value;
    else if (key === "dataset") Object.assign(node.dataset, value);
    else node.setAttribute(key, value === true ? "" : String(value));
  }
  for (const child of children.flat()) {
    if (child == null || child === false) continue;
    node.append(child instanceof Node ? child : String(child));
  }
  return node;
}

// ---- components ---------------------------------------------------------------------------------------------------

const COMPONENTS = {
  crypto: { weightKey: "cryptoWeight", missing: "no prices yet", stale: "stale: no recent prices" },
  polymarket: { weightKey: "polymarketWeight", missing: "no markets yet", stale: "stale: no recent market updates" },
  reddit: { weightKey: "redditWeight", missing: "no posts yet", stale: "stale: no recent posts" },
};

function componentDetail(name, c) {
  switch (name) {
    case "crypto":
      return c.riskiestSymbol
        ? `riskiest ${c.riskiestSymbol}, volatility ${formatPercent(c.cryptoVolatilityAnnualized, 0)} a year`
        : "";
    case "polymarket":
      return `repricing ${formatPercent(c.polymarketRepricing, 0)}, shock ${formatPercent(c.polymarketShock, 0)}`;
    case "reddit": {
      const s = describeSentiment(c.redditSentiment);
      return `mean sentiment ${s.text} (${s.word})`;
    }
    default:
      return "";
  }
}

/** Updates the four bars from RiskScoreUpdate.components; weights come from /config (risk.cryptoWeight, ...). */
export function renderComponents(root, components, weights) {
  const c = components || {};
  for (const [name, meta] of Object.entries(COMPONENTS)) {
    const row = root.querySelector(`[data-component="${name}"]`);
    if (!row) continue;
    const value = c[name];
    const stale = !!c[`${name}Stale`];
    const valueNode = row.querySelector(".bar-value");
    const fill = row.querySelector(".bar-fill");
    const weight = weights && typeof weights[meta.weightKey] === "number" ? `weight ${formatPercent(weights[meta.weightKey], 0)}` : "";
    if (typeof value === "number") {
      const level = componentLevel(value);
      row.dataset.state = "ok";
      row.dataset.level = level.id;
      valueNode.textContent = `${level.shape} ${formatPercent(value, 0)}`;
      fill.style.width = `${Math.min(100, Math.max(0, value * 100)).toFixed(1)}%`;
      row.querySelector(".bar-detail").textContent = [componentDetail(name, c), weight].filter(Boolean).join(" · ");
    } else {
      // Null is "no usable data", never 0: the bar is hatched and says why.
      row.dataset.state = stale ? "stale" : "missing";
      delete row.dataset.level;
      valueNode.textContent = stale ? "stale" : "no data";
      fill.style.width = "0";
      row.querySelector(".bar-detail").textContent = [stale ? meta.stale : meta.missing, weight].filter(Boolean).join(" · ");
    }
  }

  const amp = root.querySelector('[data-component="amplification"]');
  if (amp && typeof c.amplification === "number") {
    amp.dataset.state = "ok";
    amp.querySelector(".bar-value").textContent = `×${c.amplification.toFixed(2)}`;
    amp.querySelector(".bar-fill").style.width = `${Math.min(100, Math.max(0, (c.amplification - 1) / 0.5 * 100)).toFixed(1)}%`;
    const elevated = typeof c.elevatedCount === "number" ? c.elevatedCount : 0;
    amp.querySelector(".bar-detail").textContent =
      `${elevated} source${elevated === 1 ? "" : "s"} elevated · ×1.00 with at most one, up to ×1.50 with all three`;
  }
}

// ---- sources ------------------------------------------------------------------------------------------------------

/** Modes the page knows; any other mode string is shown as it arrives, in neutral colours. */
export const SOURCE_MODES = Object.freeze({
  live: { shape: "●", description: "live data from the provider" },
  mock: { shape: "◆", description: "mock data" },
  connecting: { shape: "◌", description: "connecting to the provider" },
  starting: { shape: "◌", description: "starting" },
  down: { shape: "✖", description: "the provider is unreachable" },
  stopped: { shape: "■", description: "stopped" },
});

const SOURCE_NAMES = { crypto: "Crypto prices", polymarket: "Polymarket", reddit: "Reddit" };

/**
 * One source card. `status` is a SourceStatus from GetStatus (source, mode, healthy, detail, lastSignalAt, and when
 * the server sends them: since, messages, rejected, errors, lastMessageAt, lastError, lastErrorAt). `ctx.now` is the server's clock as this
 * page estimates it, `ctx.lastData` the time of the newest DataUpdate seen for the source, `ctx.seenSince` when this
 * page first saw the source in its current mode (used when the server does not say `since`).
 */
export function sourceCard(status, ctx = {}) {
  const now = ctx.now ?? Date.now();
  const mode = typeof status.mode === "string" && status.mode.length > 0 ? status.mode : "unknown";
  const known = Object.hasOwn(SOURCE_MODES, mode) ? SOURCE_MODES[mode] : null;
  const card = h("li", { class: "source", dataset: { source: status.source ?? "", mode: known ? mode : "other" } });

  const badge = h("span", { class: "mode", title: known ? known.description : `mode reported by the server: ${mode}` },
    h("span", { class: "shape", "aria-hidden": "true" }, known ? known.shape : "?"),
    h("span", { class: "mode-text" }, mode));
  card.append(h("div", { class: "source-head" },
    h("span", { class: "source-name" }, SOURCE_NAMES[status.source] ?? status.source ?? "source"),
    badge));

  const facts = [];
  const since = toMillis(status.since);
  if (since != null) {
    facts.push(h("span", { class: "source-since" }, `since ${formatWhen(since, now)} (${formatDuration(now - since)})`));
  } else if (ctx.seenSince != null) {
    facts.push(h("span", { class: "source-since", title: "The server does not say since when; this is when this page first saw this mode." },
      `seen since ${formatWhen(ctx.seenSince, now)}`));
  }
  const last = Math.max(toMillis(status.lastMessageAt) ?? -Infinity, toMillis(status.lastSignalAt) ?? -Infinity, ctx.lastData ?? -Infinity);
  facts.push(h("span", { class: "source-last" }, Number.isFinite(last) ? `last update ${formatAge(now - last)}` : "no update yet"));
  // Counts of the live upstream: shown once there is something to count (a mock source has none).
  if (status.messages > 0) facts.push(h("span", { class: "source-messages" }, `${formatCount(status.messages)} messages`));
  if (status.rejected > 0) facts.push(h("span", { class: "source-rejected" }, `${formatCount(status.rejected)} dropped`));
  if (status.errors > 0) facts.push(h("span", { class: "source-errors" }, `${formatCount(status.errors)} error${status.errors === 1 ? "" : "s"}`));
  if (status.healthy === false) facts.push(h("span", { class: "source-unhealthy" }, "⚠ unhealthy"));
  card.append(h("p", { class: "source-facts" }, facts));

  if (mode !== "live" && status.detail) card.append(h("p", { class: "source-reason" }, status.detail));
  if (status.lastError) {
    const at = toMillis(status.lastErrorAt);
    card.append(h("p", { class: "source-reason error" }, `✖ last error${at != null ? ` (${formatAge(now - at)})` : ""}: ${status.lastError}`));
  }
  return card;
}

export function renderSources(list, sources, ctx) {
  if (!Array.isArray(sources) || sources.length === 0) {
    list.replaceChildren(h("li", { class: "empty-note" }, "The server reports no sources."));
    return;
  }
  list.replaceChildren(...sources.map(s => sourceCard(s, {
    now: ctx.now,
    lastData: ctx.lastData?.[s.source],
    seenSince: ctx.seenSince?.get(s.source)?.since,
  })));
}

export function renderAi(list, services, now) {
  if (!Array.isArray(services) || services.length === 0) {
    list.hidden = true;
    return;
  }
  list.hidden = false;
  list.replaceChildren(...services.map(s => {
    const bits = [`${s.provider}${s.keyConfigured ? "" : " (no key)"}`];
    const error = toMillis(s.lastErrorAt);
    const success = toMillis(s.lastSuccessAt);
    if (success != null) bits.push(`worked ${formatAge(now - success)}`);
    if (error != null && (success == null || error > success)) bits.push(`failed ${formatAge(now - error)}: ${s.lastError ?? "error"}`);
    return h("li", { dataset: { service: s.service } }, h("strong", {}, s.service === "roasts" ? "Roasts" : s.service === "voice" ? "Voice" : s.service), `: ${bits.join(" · ")}`);
  }));
}

// ---- live data ----------------------------------------------------------------------------------------------------

/** prices: Map symbol → { price, t, series: [{ t, price }] } */
export function renderPrices(tbody, prices) {
  if (prices.size === 0) return;
  const rows = [...prices.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([symbol, p]) => {
    const reference = p.series.find(point => point.t >= p.t - 60_000) ?? p.series[0];
    const change = formatChange(reference && reference.price ? (p.price - reference.price) / reference.price : NaN);
    return h("tr", { dataset: { symbol } },
      h("td", {}, h("strong", {}, symbol)),
      h("td", { class: "price" }, formatPrice(p.price)),
      h("td", { class: `change ${change.direction}` }, change.text));
  });
  tbody.replaceChildren(...rows);
}

/** markets: Map marketId → { question, probability, t }; shows the `count` furthest from 50 %. */
export function renderMarkets(list, markets, count = 5) {
  if (markets.size === 0) return;
  const extreme = [...markets.entries()]
    .sort(([, a], [, b]) => Math.abs(2 * b.probability - 1) - Math.abs(2 * a.probability - 1))
    .slice(0, count);
  list.replaceChildren(...extreme.map(([id, m]) => h("li", { class: "market", dataset: { market: id } },
    h("span", { class: "market-question", title: m.question || id }, m.question || id),
    h("span", { class: "market-probability" }, formatPercent(m.probability, 0)),
    h("span", { class: "bar-track", "aria-hidden": "true" }, barFill(m.probability)))));
}

function barFill(fraction) {
  const fill = h("span", { class: "bar-fill" });
  fill.style.display = "block";
  fill.style.width = `${Math.min(100, Math.max(0, fraction * 100)).toFixed(1)}%`;
  return fill;
}

/** posts: newest first, { sourceId, compound, text, t } */
export function renderPosts(list, posts, now) {
  if (posts.length === 0) return;
  list.replaceChildren(...posts.map(p => {
    const s = describeSentiment(p.compound);
    return h("li", { class: "post", dataset: { sentiment: s.kind } },
      h("p", { class: "post-meta" },
        h("span", {}, p.sourceId || "reddit"),
        h("span", { class: "sentiment" }, `${s.word} ${s.text}`),
        h("span", {}, formatAge(now - p.t))),
      h("p", { class: "post-text" }, p.text || ""));
  }));
}

// ---- alerts -------------------------------------------------------------------------------------------------------

const ALERT_TYPES = { info: "ℹ Info", warning: "⚠ Warning", interrupt: "⚡ Interrupt", error: "✖ Error" };

export function alertItem(alert) {
  const type = typeof alert.alertType === "string" ? alert.alertType : "alert";
  const at = toMillis(alert.at);
  return h("li", { class: "alert", dataset: { type } },
    h("span", { class: "alert-type" }, ALERT_TYPES[type] ?? type),
    h("time", { class: "alert-time", datetime: at != null ? new Date(at).toISOString() : null }, formatTime(at)),
    h("p", { class: "alert-message" }, alert.message ?? ""));
}

// ---- status and statistics ----------------------------------------------------------------------------------------

const LABELS = {
  isRunning: "Engine running",
  connections: "Connections (hub and /ws)",
  at: "Server time",
  statistics: "Statistics",
  sources: "Sources",
  ai: "AI services",
  currentRiskScore: "Current risk score",
  totalUpdates: "Evaluated bars",
  interruptCount: "Interrupts",
  forcedInterruptCount: "Forced interrupts",
  cryptoDataPoints: "Crypto data points",
  polymarketDataPoints: "Polymarket data points",
  redditDataPoints: "Reddit data points",
  cryptoVolatility: "Crypto volatility (per return interval)",
  polymarketVolatility: "Polymarket volatility",
  normalizerStats: "Normalizer",
  historySize: "history size",
  min: "min",
  max: "max",
  mean: "mean",
  rejectedSignals: "Rejected signals",
};

function looksLikeTime(key, value) {
  return typeof value === "string" && (key === "at" || /At$|^since$/.test(key)) && !Number.isNaN(Date.parse(value));
}

function formatValue(key, value) {
  if (value == null) return "–";
  if (typeof value === "boolean") return value ? "yes" : "no";
  if (typeof value === "number") return Number.isInteger(value) ? formatCount(value) : formatNumber(value, 4);
  if (looksLikeTime(key, value)) return `${formatTime(Date.parse(value))} (${value})`;
  if (Array.isArray(value)) {
    if (value.length === 0) return "none";
    return value.map(item => (item && typeof item === "object"
      ? Object.entries(item).map(([k, v]) => `${k}: ${formatValue(k, v)}`).join(", ")
      : String(item))).join("\n");
  }
  if (typeof value === "object") {
    const entries = Object.entries(value);
    return entries.length === 0 ? "none" : entries.map(([k, v]) => `${k}: ${formatValue(k, v)}`).join(", ");
  }
  return String(value);
}

/** Writes every field of an answer (nested objects flattened to "parent.child") as a row; data-field is that path. */
export function renderDetails(tbody, answer) {
  const rows = [];
  const walk = (object, prefix, labelPrefix) => {
    for (const [key, value] of Object.entries(object)) {
      const path = prefix ? `${prefix}.${key}` : key;
      const label = `${labelPrefix}${LABELS[key] ?? key}`;
      // Plain nested records (statistics, normalizerStats) are flattened; lists and maps (sources, rejectedSignals) are one row.
      const isRecord = value && typeof value === "object" && !Array.isArray(value) && key !== "rejectedSignals";
      if (isRecord) {
        walk(value, path, `${label}: `);
      } else {
        const cell = h("td", {}, formatValue(key, value));
        cell.style.whiteSpace = Array.isArray(value) ? "pre-line" : "";
        rows.push(h("tr", { dataset: { field: path } }, h("th", { scope: "row" }, label, h("span", { class: "key" }, path)), cell));
      }
    }
  };
  walk(answer ?? {}, "", "");
  tbody.replaceChildren(...rows);
}
