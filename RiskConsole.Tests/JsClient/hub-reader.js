// Reads /hubs/risk with the official SignalR JavaScript client, as a browser or Node app would, and prints what the
// client sees as JSON lines on stdout (warnings and errors go to stderr):
//
//   node hub-reader.js <hub url> <json|messagepack> [marker]
//
// Lines: {"kind":"ready"} once subscribed to every topic; then the first RiskScore, the first DataUpdate of each
// source, the answers of GetStatus, GetStatistics and Subscribe, and (on a second connection that calls
// UseDataBatches, as the dashboard does) the first DataBatch holding data of all three sources. With a marker it also waits for the messages a
// test pushes carrying that marker (a RiskScore whose components.riskiestSymbol is the marker, a DataUpdate per
// source keyed by it, an Alert and an Interrupt whose text is it) and prints them as "marked...". Exits 0 when it has
// everything, 2 when something is missing after the time limit.
//
// A Date decoded by the MessagePack client is printed as {"$date": "<ISO>"} so the output shows exactly which values
// arrived as Date objects (JSON.stringify would otherwise turn them into plain strings).
"use strict";

const signalR = require("@microsoft/signalr");
const { MessagePackHubProtocol } = require("@microsoft/signalr-protocol-msgpack");

const [url, protocolName, marker] = process.argv.slice(2);
const protocols = { json: () => new signalR.JsonHubProtocol(), messagepack: () => new MessagePackHubProtocol() };
if (!url || !protocols[protocolName]) {
  console.error("usage: node hub-reader.js <hub url> <json|messagepack> [marker]");
  process.exit(64);
}

const timeLimitMs = Number(process.env.HUB_READER_TIMEOUT_MS || 30000);
const sources = ["crypto", "polymarket", "reddit"];
const topics = ["risk", ...sources.map((s) => "data:" + s)];

const wanted = new Set(["riskScore", ...sources.map((s) => "dataUpdate:" + s), "getStatus", "getStatistics", "subscribe", "dataBatch"]);
if (marker) {
  for (const kind of ["markedRiskScore", ...sources.map((s) => "markedDataUpdate:" + s), "markedAlert", "markedInterrupt"]) {
    wanted.add(kind);
  }
}

let finish;
const done = new Promise((resolve) => (finish = resolve));

function print(kind, payload) {
  if (!wanted.delete(kind)) {
    return; // only the first of each kind
  }
  const line = JSON.stringify({ kind, protocol: protocolName, payload }, function (key, value) {
    const raw = this[key];
    return raw instanceof Date ? { $date: raw.toISOString() } : value;
  });
  process.stdout.write(line + "\n");
  if (wanted.size === 0) {
    finish(0);
  }
}

function dataKey(update) {
  if (update.price) return update.price.symbol;
  if (update.probability) return update.probability.marketId;
  if (update.sentiment) return update.sentiment.sourceId;
  return undefined;
}

function connect() {
  return new signalR.HubConnectionBuilder()
    .withUrl(url, { transport: signalR.HttpTransportType.WebSockets })
    .withHubProtocol(protocols[protocolName]())
    .configureLogging(signalR.LogLevel.Warning)
    .build();
}

const connection = connect();
const batches = connect();
batches.on("DataBatch", (batch) => {
  const seen = new Set((batch.updates || []).map((update) => update.source));
  if (sources.every((s) => seen.has(s))) print("dataBatch", batch);
});

connection.on("RiskScore", (update) =>
  print(marker && update.components && update.components.riskiestSymbol === marker ? "markedRiskScore" : "riskScore", update));
connection.on("DataUpdate", (update) =>
  print((marker && dataKey(update) === marker ? "markedDataUpdate:" : "dataUpdate:") + update.source, update));
connection.on("Alert", (alert) => {
  if (marker && alert.message === marker) print("markedAlert", alert);
});
connection.on("Interrupt", (notice) => {
  if (marker && notice.roast === marker) print("markedInterrupt", notice);
});

async function main() {
  const timer = setTimeout(() => finish(2), timeLimitMs);
  try {
    await connection.start();
    print("getStatus", await connection.invoke("GetStatus"));
    print("getStatistics", await connection.invoke("GetStatistics"));
    // Already in every topic; the answer is awaited so the groups are certain before "ready".
    print("subscribe", await connection.invoke("Subscribe", topics));
    await batches.start();
    await batches.invoke("UseDataBatches");
    process.stdout.write(JSON.stringify({ kind: "ready", protocol: protocolName }) + "\n");
    const code = await done;
    if (code !== 0) {
      process.stdout.write(JSON.stringify({ kind: "timeout", protocol: protocolName, missing: [...wanted] }) + "\n");
    }
    return code;
  } catch (error) {
    console.error(`hub-reader: ${error && error.stack ? error.stack : error}`);
    return 1;
  } finally {
    clearTimeout(timer);
    await Promise.all([connection.stop(), batches.stop()]);
  }
}

main().then((code) => process.exit(code));
