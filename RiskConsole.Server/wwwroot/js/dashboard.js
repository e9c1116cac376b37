// The dashboard: one SignalR connection to /hubs/risk (automatic and stateful reconnect), the page's state, and the
// wiring of events to panels. The server settings the page needs (threshold, weights, whether Force interrupt is
// allowed) come from GET /config, read again after every reconnect because a restarted server may have new ones. The chart
// starts from the server's journal (GET /history for its window), read again after every reconnect too, so a refresh or
// a restart keeps the picture and the scores missed while disconnected are filled in (a restart's own gap stays a gap).
import { ScoreChart, ScoreHistory } from "./chart.js";
import { formatScore, formatTime, hubErrorMessage, levelOf, toMillis } from "./format.js";
import { Gauge } from "./gauge.js";
import { InterruptOverlay, MuteSetting } from "./interrupt.js";
import {
  alertItem, renderAi, renderComponents, renderDetails, renderMarkets, renderPosts, renderPrices, renderSources,
} from "./panels.js";

const $ = id => document.getElementById(id);
const STATUS_POLL_MS = 5000;
const MAX_ALERTS = 100;
const MAX_POSTS = 6;
const RENDER_EVERY_MS = 200;

const state = {
  threshold: null,
  weights: null,
  forceAllowed: false,
  latestScore: null,
  lastLevel: null,
  lastAnnounced: 0,
  clockOffset: 0, // server clock − this browser's clock, from GetStatus.at
  sources: [],
  ai: [],
  seenSince: new Map(), // source → { mode, since }: when this page first saw the current mode
  lastData: {}, // source → millis of the newest DataUpdate
  prices: new Map(),
  markets: new Map(),
  posts: [],
  anyMock: false,
  details: null, // "status" | "statistics" while the panel is open
};

const serverNow = () => Date.now() + state.clockOffset;
const history = new ScoreHistory();
const chart = new ScoreChart($("chart"), history);
const gauge = new Gauge($("gauge-svg"), $("gauge"));
const mute = new MuteSetting();
const overlay = new InterruptOverlay(document, mute);

// ---- connection ---------------------------------------------------------------------------------------------------

const adminKey = new URLSearchParams(location.search).get("adminKey");
const hubUrl = "/hubs/risk" + (adminKey ? `?adminKey=${encodeURIComponent(adminKey)}` : "");

// Retry forever: quickly at first, then every 5 s. A page left open across a server restart comes back by itself.
const retryDelays = [0, 1000, 2000, 3000, 5000];
const connection = new signalR.HubConnectionBuilder()
  .withUrl(hubUrl)
  .withAutomaticReconnect({ nextRetryDelayInMilliseconds: ctx => retryDelays[Math.min(ctx.previousRetryCount, retryDelays.length - 1)] })
  .withStatefulReconnect()
  .configureLogging(signalR.LogLevel.Warning)
  .build();

function setConnection(kind, text) {
  $("connection").dataset.state = kind;
  $("connection-text").textContent = text;
  const connected = kind === "connected";
  for (const id of ["show-status", "show-statistics", "force-interrupt", "details-refresh"]) $(id).disabled = !connected;
}

connection.on("RiskScore", update => {
  state.latestScore = update;
  history.add(toMillis(update.at) ?? serverNow(), update.score);
  scheduleRender();
});

// Data: the page asks for one DataBatch per publish tick (UseDataBatches, once per connection); DataUpdate is what a
// connection gets before it has asked (and what an older server sends), so both are handled the same way.
connection.on("DataBatch", batch => {
  for (const update of batch.updates ?? []) applyData(update);
  scheduleRender();
});

connection.on("DataUpdate", update => {
  applyData(update);
  scheduleRender();
});

function applyData(update) {
  const t = toMillis(update.at) ?? serverNow();
  state.lastData[update.source] = Math.max(state.lastData[update.source] ?? 0, t);
  state.anyMock ||= !!update.mock;
  if (update.price) {
    const p = state.prices.get(update.price.symbol) ?? { series: [] };
    p.price = update.price.price;
    p.t = t;
    p.series.push({ t, price: update.price.price });
    while (p.series.length > 2 && p.series[0].t < t - 70_000) p.series.shift();
    state.prices.set(update.price.symbol, p);
  } else if (update.probability) {
    const m = update.probability;
    state.markets.set(m.marketId, { question: m.question, probability: m.probability, t });
  } else if (update.sentiment) {
    const s = update.sentiment;
    state.posts.unshift({ sourceId: s.sourceId, compound: s.compound, text: s.text, t });
    state.posts.length = Math.min(state.posts.length, MAX_POSTS);
  }
}

async function useDataBatches() {
  try {
    await connection.invoke("UseDataBatches");
    $("connection").dataset.data = "batches"; // how this connection takes its data (tests read it)
  } catch {
    // An older server without batches: DataUpdate keeps coming, which the page handles the same way.
  }
}

connection.on("Alert", alert => {
  const log = $("alert-log");
  log.prepend(alertItem(alert));
  while (log.children.length > MAX_ALERTS) log.lastElementChild.remove();
  $("alerts-empty").hidden = true;
});

connection.on("Interrupt", notice => {
  history.addInterrupt(toMillis(notice.at) ?? serverNow(), notice.riskScore, notice.forced);
  overlay.show(notice);
  scheduleRender();
});

connection.onreconnecting(() => setConnection("reconnecting", "Reconnecting…"));
connection.onreconnected(() => {
  setConnection("connected", "Connected");
  refreshAfterConnect();
});
connection.onclose(() => {
  // Only after an unrecoverable failure (automatic reconnect retries forever): start over in a few seconds.
  setConnection("disconnected", "Disconnected, retrying…");
  setTimeout(start, 5000);
});

async function start() {
  try {
    setConnection("connecting", "Connecting…");
    await connection.start();
    setConnection("connected", "Connected");
    refreshAfterConnect();
  } catch {
    setConnection("disconnected", "Disconnected, retrying…");
    setTimeout(start, 5000);
  }
}

async function refreshAfterConnect() {
  useDataBatches();
  await Promise.allSettled([loadConfig(), refreshStatus(), loadHistory()]);
  if (state.details) showDetails(state.details);
  scheduleRender();
}

async function loadConfig() {
  try {
    const response = await fetch("/config", { headers: { Accept: "application/json" }, cache: "no-store" });
    if (!response.ok) return;
    const config = await response.json();
    state.threshold = config?.risk?.threshold ?? state.threshold;
    state.weights = config?.risk ?? state.weights;
    state.forceAllowed = !!config?.server?.testInterruptsAllowedWithoutKey || !!adminKey;
    $("force-interrupt").hidden = !state.forceAllowed;
    if (typeof state.threshold === "number") {
      $("threshold-value").textContent = String(Math.round(state.threshold * 10) / 10);
      gauge.setThreshold(state.threshold);
      chart.setThreshold(state.threshold);
    }
  } catch {
    // /config unreachable: keep what the page had; the score still shows.
  }
}

/**
 * The chart's window from the journal: one bucket per slot of the chart's resolution, each drawn at its last score (as a
 * live point is), merged with the live points by slot so nothing is drawn twice, and the interrupts of the window.
 * `#chart[data-history]` says how it went: "loaded", "disabled" (the server keeps no journal) or "unavailable".
 */
async function loadHistory() {
  const svg = $("chart");
  try {
    const minutes = chart.windowMs / 60_000;
    const maxPoints = Math.ceil(chart.windowMs / history.resolutionMs);
    const response = await fetch(`/history?minutes=${minutes}&maxPoints=${maxPoints}`, { headers: { Accept: "application/json" }, cache: "no-store" });
    if (!response.ok) {
      svg.dataset.history = "unavailable";
      return;
    }
    const answer = await response.json();
    const points = (answer?.scores ?? []).map(b => ({ t: toMillis(b.at), score: b.last }));
    const interrupts = (answer?.interrupts ?? []).map(i => ({ t: toMillis(i.at), score: i.riskScore, forced: i.forced }));
    history.load(points, interrupts);
    svg.dataset.history = answer?.journal === "disabled" ? "disabled" : "loaded";
    svg.dataset.historyPoints = String(points.length);
    scheduleRender();
  } catch {
    // No history (server going away, bad answer): the chart fills from live scores as before.
    svg.dataset.history = "unavailable";
  }
}

async function refreshStatus() {
  if (connection.state !== signalR.HubConnectionState.Connected) return;
  try {
    const status = await connection.invoke("GetStatus");
    const at = toMillis(status.at);
    if (at != null) state.clockOffset = at - Date.now();
    state.sources = Array.isArray(status.sources) ? status.sources : [];
    for (const s of state.sources) {
      const seen = state.seenSince.get(s.source);
      if (!seen || seen.mode !== s.mode) state.seenSince.set(s.source, { mode: s.mode, since: serverNow() });
    }
    state.ai = status.ai;
    $("sources-time").textContent = `as of ${formatTime(at)}`;
    renderSourcesPanel();
  } catch {
    // A refused or failed poll (rate limit, shutdown): the next poll tries again.
  }
}

setInterval(refreshStatus, STATUS_POLL_MS);

// ---- rendering ----------------------------------------------------------------------------------------------------

let renderTimer = null;
function scheduleRender() {
  if (renderTimer === null) renderTimer = setTimeout(render, RENDER_EVERY_MS);
}

function render() {
  renderTimer = null;
  const update = state.latestScore;
  if (update) renderScore(update);
  renderPrices($("prices"), state.prices);
  renderMarkets($("markets"), state.markets);
  renderPosts($("posts"), state.posts, serverNow());
  $("data-mock").textContent = state.anyMock ? "◆ includes mock data" : "";
  renderChart();
}

function renderChart() {
  const now = serverNow();
  chart.render(now);
  $("chart-span").textContent = chart.span(now) >= chart.windowMs ? "last 5 minutes" : "since the first recorded score";
}

function renderScore(update) {
  const level = levelOf(update.score, state.threshold);
  $("score-value").textContent = formatScore(update.score);
  gauge.update(update.score, level);
  const badge = $("score-level");
  badge.dataset.level = level.id;
  badge.querySelector(".shape").textContent = level.shape;
  $("score-level-text").textContent = level.label;
  $("warming-up").hidden = !update.components?.warmingUp;
  $("score-time").textContent = formatTime(toMillis(update.at));
  $("score-seq").textContent = `#${update.seq}`;
  const summary = `Risk ${Math.round(update.score)} of 100, ${level.label.toLowerCase()}` +
    (typeof state.threshold === "number" ? `; threshold ${Math.round(state.threshold)}` : "") +
    (update.components?.warmingUp ? "; warming up" : "") + ".";
  $("score-summary").textContent = summary;
  renderComponents($("component-bars"), update.components, state.weights);

  // Screen readers hear the score when its level changes, and otherwise at most every 30 s: not ten times a second.
  const now = Date.now();
  if (level.id !== state.lastLevel || now - state.lastAnnounced > 30_000) {
    $("score-announcer").textContent = summary;
    state.lastLevel = level.id;
    state.lastAnnounced = now;
  }
}

function renderSourcesPanel() {
  renderSources($("source-list"), state.sources, { now: serverNow(), lastData: state.lastData, seenSince: state.seenSince });
  renderAi($("ai-list"), state.ai, serverNow());
}

// Ages ("3 s ago") move on even when nothing arrives.
setInterval(() => {
  if (state.sources.length > 0) renderSourcesPanel();
  if (!renderTimer) renderChart();
}, 1000);

// ---- buttons ------------------------------------------------------------------------------------------------------

function say(text, kind) {
  const message = $("action-message");
  message.dataset.kind = kind;
  message.textContent = text;
}

async function showDetails(kind) {
  state.details = kind;
  const panel = $("details");
  const wasHidden = panel.hidden;
  panel.hidden = false;
  $("details-title").textContent = kind === "status" ? "Status" : "Statistics";
  $("details-caption").textContent = kind === "status" ? "Answer of GetStatus" : "Answer of GetStatistics";
  try {
    const answer = await connection.invoke(kind === "status" ? "GetStatus" : "GetStatistics");
    renderDetails($("details-table").tBodies[0], answer);
    panel.dataset.kind = kind;
    $("details-time").textContent = `as of ${formatTime(Date.now())}`;
  } catch (error) {
    say(`${kind === "status" ? "Status" : "Statistics"} failed: ${hubErrorMessage(error)}`, "error");
  }
  if (wasHidden) {
    panel.scrollIntoView({ block: "nearest" });
    $("details-title").focus();
  }
}

$("show-status").addEventListener("click", () => showDetails("status"));
$("show-statistics").addEventListener("click", () => showDetails("statistics"));
$("details-refresh").addEventListener("click", () => state.details && showDetails(state.details));
$("details-close").addEventListener("click", () => {
  $("details").hidden = true;
  const opener = state.details === "status" ? $("show-status") : $("show-statistics");
  state.details = null;
  opener.focus();
});

let forcing = false;
$("force-interrupt").addEventListener("click", async () => {
  // Not disabled while asking (a disabled button drops the keyboard focus); a second click meanwhile is ignored.
  if (forcing) return;
  forcing = true;
  const button = $("force-interrupt");
  button.setAttribute("aria-busy", "true");
  say("Asking the server for an interrupt…", "info");
  try {
    const result = await connection.invoke("ForceInterrupt");
    say(result?.message ?? "Interrupt started.", "ok");
  } catch (error) {
    // A refusal (not allowed, rate-limited, busy) is shown as the server worded it.
    say(`Force interrupt refused: ${hubErrorMessage(error)}`, "error");
  } finally {
    forcing = false;
    button.removeAttribute("aria-busy");
  }
});

function renderMute(muted) {
  $("mute").setAttribute("aria-pressed", String(muted));
  $("mute-waves").setAttribute("visibility", muted ? "hidden" : "visible");
  $("mute-cross").setAttribute("visibility", muted ? "visible" : "hidden");
  $("mute-label").textContent = muted ? "Muted" : "Sound on";
}
$("mute").addEventListener("click", () => {
  mute.muted = !mute.muted;
});
mute.onChange(renderMute);
renderMute(mute.muted);

start();
