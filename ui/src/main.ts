// The chart page's composition: key, symbols, chart, live stream, watchlist, sync jobs.
import "./style.css";
import { ApiError, get } from "./api";
import { forgetKey, readFragment, savedKey, saveKey, writeFragment } from "./auth";
import { ChartView } from "./chart_view";
import { clock, price } from "./format";
import { LiveStream, type StreamState } from "./live_stream";
import { StatusLine } from "./status";
import { SymbolsPanel } from "./symbols_panel";
import { type SyncRequest, SyncJobs } from "./sync_form";
import { isZone } from "./times";
import { INTERVALS, type Job, type LiveBar, type Quote, type SymbolInfo } from "./types";
import { Watchlist } from "./watchlist";

const $ = <T extends HTMLElement>(id: string): T => document.getElementById(id) as T;
const link = readFragment();
const body = document.body;

for (const id of ["chart-interval", "sync-interval"]) {
  $<HTMLSelectElement>(id).append(...INTERVALS.map((i) => new Option(i, i)));
}

const status = new StatusLine($("status"), () => keyNeeded("Your API key is unknown or expired: enter a valid one."));
const report = (error: unknown, doing?: string) => status.error(error, doing);
const chart = new ChartView(
  $("chart"),
  (e) => report(e, "Loading older bars"),
  () => paintNote(),
);
const symbols = new SymbolsPanel($("symbol-list"), $("symbol-search"), (s, i) => void showChart(s, i));
const watchlist = new Watchlist($<HTMLTableElement>("watchlist").tBodies[0], {
  changed: () => followLive(),
  pick: (s) => void showChart(s),
  error: report,
});
const jobs = new SyncJobs($("jobs"), {
  done: async (_job, req: SyncRequest) => {
    await symbols.load().catch((e) => report(e, "Loading the symbols")); // the new coverage
    await showChart(req.symbol, req.interval);
  },
  error: report,
});
const stream = new LiveStream({ event: onEvent, state: onStreamState });

function keyNeeded(message: string): void {
  forgetKey();
  stream.stop();
  body.dataset.auth = "missing";
  $("key-state").textContent = "";
  $("forget-key").hidden = true;
  $("key-form").hidden = false;
  status.show(message, "error", "auth");
  $<HTMLInputElement>("key-input").focus();
}

async function start(): Promise<void> {
  if (!savedKey()) {
    keyNeeded("Enter your API key (or open a link with #key=...) to see the charts.");
    return;
  }
  body.dataset.auth = "given";
  $("key-form").hidden = true;
  $("forget-key").hidden = false;
  $("key-state").textContent = "key set for this tab";
  status.clear("auth");
  try {
    void jobs.loadRecent();
    const lists = Promise.all([symbols.load(), watchlist.load()]).then(paintNote);
    // A linked chart loads beside the lists; otherwise the lists choose what to show.
    if (link.symbol) await Promise.all([lists, showChart(link.symbol, link.interval ?? undefined)]);
    else await lists.then(() => showChart(watchlist.symbols[0] ?? "NASDAQ:AAPL"));
  } catch (error) {
    report(error, "Loading the page");
  } finally {
    body.dataset.ready = "yes";
  }
}

async function showChart(symbol: string, interval?: string): Promise<void> {
  symbol = symbol.trim().toUpperCase();
  const info = symbols.info(symbol);
  interval = interval ?? info?.intervals[0]?.interval ?? chart.interval ?? "1d";
  if (!INTERVALS.includes(interval as (typeof INTERVALS)[number])) interval = "1d";
  $<HTMLInputElement>("chart-symbol").value = symbol;
  $<HTMLSelectElement>("chart-interval").value = interval;
  $<HTMLInputElement>("sync-symbol").value = symbol;
  $<HTMLSelectElement>("sync-interval").value = interval;
  writeFragment({ symbol, interval });
  paintQuote(null, symbol);
  followLive(symbol);
  try {
    await chart.show(symbol, interval, zoneFor(symbol, info));
    get<Quote>(`/v1/quotes/${encodeURIComponent(symbol)}`)
      .then((q) => chart.symbol === q.symbol && paintQuote(q, symbol))
      .catch(() => undefined); // no quote yet: the stream brings one
  } catch (error) {
    report(error, `Loading ${symbol} ${interval}`);
  }
}

let exchangeZone: string | null = null;
async function zoneFor(symbol: string, info?: SymbolInfo): Promise<string> {
  let zone = info?.timezone;
  if (!zone) zone = await get<SymbolInfo>(`/v1/symbols/${encodeURIComponent(symbol)}`).then((s) => s.timezone, () => null);
  exchangeZone = isZone(zone) ? zone : null;
  return currentZone();
}

function currentZone(): string {
  const utc = $<HTMLInputElement>("utc-toggle").checked;
  const zone = utc || !exchangeZone ? "UTC" : exchangeZone;
  $("tz-label").textContent = utc
    ? "times in UTC"
    : exchangeZone
      ? `times in ${exchangeZone} (the exchange's)`
      : "times in UTC (the exchange's zone is not known yet)";
  return zone;
}

function paintNote(): void {
  const { symbol, interval } = chart;
  if (!symbol) return;
  const info = symbols.info(symbol);
  const count = chart.data.candles.length;
  const coverage = info?.intervals.find((c) => c.interval === interval);
  const range = coverage ? ` Stored: ${coverage.start?.slice(0, 10)} → ${coverage.end?.slice(0, 10)}.` : "";
  $("chart-note").textContent =
    count === 0
      ? `No ${interval} bars of ${symbol} yet: sync some below, or add it to the watchlist for live bars.`
      : `${count} ${count === 1 ? "bar" : "bars"} loaded; scroll left for older ones.${range}`;
}

function followLive(symbol = chart.symbol): void {
  stream.follow([symbol, ...watchlist.symbols]);
}

function onEvent(name: string, data: unknown): void {
  if (name === "quote") {
    const q = data as Quote;
    watchlist.quote(q);
    if (q.symbol === chart.symbol) paintQuote(q, q.symbol);
  } else if (name === "job.progress" || name === "job.done") {
    jobs.live(data as Job);
  } else if (name === "bar.provisional" || name === "bar.completed") {
    const bar = data as LiveBar;
    chart.live(bar);
    if (bar.interval === "1d") watchlist.dayBar(bar.symbol, bar.o);
  }
}

function onStreamState(state: StreamState): void {
  body.dataset.stream = state.kind;
  $("quote").dataset.stream = state.kind;
  if (state.kind === "open") status.clear("stream");
  else if (state.kind === "lost") {
    status.show(`Live connection lost (${state.reason}); reconnecting in ${state.retryInS} s…`, "warn", "stream");
  } else if (state.kind === "refused") {
    if (state.badKey) keyNeeded(`Your API key is unknown or expired: ${state.reason}`);
    else status.show(`The live stream was refused: ${state.reason}`, "error", "stream");
  }
}

function paintQuote(q: Quote | null, symbol: string): void {
  const box = $("quote");
  box.querySelector(".quote-symbol")!.textContent = symbol;
  box.querySelector(".quote-price")!.textContent = q ? price(q.price) : "—";
  const extra = q
    ? `bid ${price(q.bid)} · ask ${price(q.ask)} · ${clock(q.ts, chart.zone || "UTC")}`
    : "no quote yet: quotes stream while the symbol is on the watchlist and its market is open";
  box.querySelector(".quote-extra")!.textContent = extra;
  box.dataset.price = q ? String(q.price) : "";
}

$("key-form").addEventListener("submit", (event) => {
  event.preventDefault();
  saveKey($<HTMLInputElement>("key-input").value);
  $<HTMLInputElement>("key-input").value = "";
  void start();
});
$("forget-key").addEventListener("click", () => keyNeeded("Key forgotten. Enter a key to go on."));
$("chart-form").addEventListener("submit", (event) => {
  event.preventDefault();
  void showChart($<HTMLInputElement>("chart-symbol").value, $<HTMLSelectElement>("chart-interval").value);
});
$("utc-toggle").addEventListener("change", () => chart.setZone(currentZone()));
$("watch-form").addEventListener("submit", (event) => {
  event.preventDefault();
  const input = $<HTMLInputElement>("watch-input");
  const symbol = input.value.trim().toUpperCase();
  watchlist
    .add(symbol)
    .then(() => (input.value = ""))
    .catch((e) => report(e, `Adding ${symbol} to the watchlist`));
});
$("sync-form").addEventListener("submit", (event) => {
  event.preventDefault();
  const start = $<HTMLInputElement>("sync-start").value;
  const end = $<HTMLInputElement>("sync-end").value;
  const req: SyncRequest = {
    symbol: $<HTMLInputElement>("sync-symbol").value.trim().toUpperCase(),
    interval: $<HTMLSelectElement>("sync-interval").value,
  };
  if (start && end) Object.assign(req, { start: `${start}T00:00:00Z`, end: `${end}T00:00:00Z` });
  else req.bars = Number($<HTMLInputElement>("sync-bars").value);
  jobs.start(req).catch((e) => report(e, `Starting the sync of ${req.symbol}`));
});
window.addEventListener("unhandledrejection", (event) => {
  if (event.reason instanceof ApiError) report(event.reason);
});

void start();
