// Candles and a volume pane for one symbol and interval: the latest page first, older
// pages as the user scrolls back (the cursor of GET /v1/bars?sort=desc), live bars on top.
// The element exposes what it shows for tests: data-candle-count, data-last-close,
// data-last-time, data-live-updates, data-symbol, data-interval, data-zone, data-state, and
// data-first-candles-ms (milliseconds from navigation to the first candles drawn).
import {
  CandlestickSeries,
  type CandlestickData,
  createChart,
  HistogramSeries,
  type HistogramData,
  type IChartApi,
  type ISeriesApi,
  type LogicalRange,
} from "lightweight-charts";
import { get, query } from "./api";
import { type Candle, SeriesData } from "./series_data";
import { chartTime } from "./times";
import type { Bar, BarsPage } from "./types";

const PAGE = 500;
const UP = "#26a69a";
const DOWN = "#ef5350";

export class ChartView {
  readonly data = new SeriesData();
  private chart: IChartApi;
  private candles: ISeriesApi<"Candlestick">;
  private volume: ISeriesApi<"Histogram">;
  private cursor: string | null = null;
  private loadingOlder = false;
  private generation = 0;
  private liveUpdates = 0;
  symbol = "";
  interval = "";
  zone = "UTC";

  constructor(
    private readonly element: HTMLElement,
    private readonly onError: (error: unknown) => void,
    private readonly onChange: () => void,
  ) {
    this.chart = createChart(element, {
      autoSize: true,
      // The library's own logo injects a <style> element, which the page's CSP refuses:
      // the attribution its licence asks for is in the page's footer instead.
      layout: {
        attributionLogo: false,
        background: { color: "#ffffff" },
        textColor: "#191919",
        panes: { separatorColor: "#e0e3eb" },
      },
      grid: { vertLines: { color: "#f0f3fa" }, horzLines: { color: "#f0f3fa" } },
      timeScale: { timeVisible: true, secondsVisible: false, rightOffset: 4 },
      crosshair: { mode: 0 },
    });
    this.candles = this.chart.addSeries(CandlestickSeries, {
      upColor: UP,
      downColor: DOWN,
      borderVisible: false,
      wickUpColor: UP,
      wickDownColor: DOWN,
    });
    this.volume = this.chart.addSeries(HistogramSeries, { priceFormat: { type: "volume" } }, 1);
    this.chart.panes()[1]?.setHeight(110);
    this.chart.timeScale().subscribeVisibleLogicalRangeChange((range) => this.maybeLoadOlder(range));
  }

  /** Show `symbol` at `interval`: the latest page of bars, replacing what was shown. */
  async show(symbol: string, interval: string, zone: Promise<string>): Promise<void> {
    const generation = ++this.generation;
    this.symbol = symbol;
    this.interval = interval;
    this.cursor = null;
    this.data.clear();
    this.liveUpdates = 0;
    this.element.dataset.state = "loading";
    this.render(true);
    const [page, shownIn] = await Promise.all([this.page(null), zone]); // in parallel
    if (generation !== this.generation) return;
    this.zone = shownIn;
    this.data.merge(page.bars);
    this.cursor = page.next_cursor;
    this.element.dataset.state = "ready";
    this.render(true);
  }

  setZone(zone: string): void {
    this.zone = zone;
    this.render(false);
  }

  /** A live bar of any symbol and interval: applied when it is this chart's. */
  live(bar: Bar & { symbol: string; interval: string }): void {
    if (bar.symbol !== this.symbol || bar.interval !== this.interval) return;
    if (this.element.dataset.state !== "ready") return;
    const change = this.data.apply(bar);
    if (change === "stale") return;
    this.liveUpdates += 1;
    const last = this.data.last;
    if (change === "last" && last) {
      this.candles.update(this.candleData(last));
      this.volume.update(this.volumeData(last));
      this.expose();
    } else {
      this.render(false);
    }
  }

  private async page(cursor: string | null): Promise<BarsPage> {
    const params = { symbol: this.symbol, interval: this.interval, sort: "desc", limit: PAGE, cursor: cursor ?? undefined };
    return get<BarsPage>(`/v1/bars?${query(params)}`);
  }

  private maybeLoadOlder(range: LogicalRange | null): void {
    if (!range || range.from > 10 || this.loadingOlder || !this.cursor) return;
    const generation = this.generation;
    this.loadingOlder = true;
    this.page(this.cursor)
      .then((page) => {
        if (generation !== this.generation) return;
        this.cursor = page.next_cursor;
        this.data.merge(page.bars);
        this.render(false);
      })
      .catch(this.onError)
      .finally(() => {
        this.loadingOlder = false;
      });
  }

  private render(fit: boolean): void {
    const candles = this.data.candles;
    this.candles.setData(candles.map((c) => this.candleData(c)));
    this.volume.setData(candles.map((c) => this.volumeData(c)));
    if (fit && candles.length > 0) {
      const to = candles.length + 3;
      this.chart.timeScale().setVisibleLogicalRange({ from: Math.max(0, to - 150), to });
    }
    this.expose();
  }

  private candleData(c: Candle): CandlestickData {
    const time = chartTime(c.time, this.zone);
    return { time, open: c.open, high: c.high, low: c.low, close: c.close };
  }

  private volumeData(c: Candle): HistogramData {
    const color = c.close >= c.open ? `${UP}80` : `${DOWN}80`;
    return { time: chartTime(c.time, this.zone), value: c.volume, color };
  }

  private expose(): void {
    const d = this.element.dataset;
    const last = this.data.last;
    d.symbol = this.symbol;
    d.interval = this.interval;
    d.candleCount = String(this.data.candles.length);
    d.lastClose = last ? String(last.close) : "";
    d.lastTime = last ? new Date(last.time * 1000).toISOString() : "";
    d.liveUpdates = String(this.liveUpdates);
    d.zone = this.zone;
    d.olderPages = this.cursor ? "yes" : "no";
    if (last && !d.firstCandlesMs) d.firstCandlesMs = String(Math.round(performance.now())); // since navigation
    this.onChange();
  }
}
