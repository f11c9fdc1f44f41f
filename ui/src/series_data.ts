// The chart's bars by open time: pages merged in, live bars applied in place.
import type { Bar } from "./types";
import { epochS } from "./times";

export interface Candle {
  time: number; // epoch seconds UTC
  open: number;
  high: number;
  low: number;
  close: number;
  volume: number;
}

export function candle(bar: Bar): Candle {
  return { time: epochS(bar.t), open: bar.o, high: bar.h, low: bar.l, close: bar.c, volume: bar.v };
}

export class SeriesData {
  private byTime = new Map<number, Candle>();
  private sorted: Candle[] = [];

  get candles(): readonly Candle[] {
    return this.sorted;
  }

  get last(): Candle | undefined {
    return this.sorted[this.sorted.length - 1];
  }

  clear(): void {
    this.byTime.clear();
    this.sorted = [];
  }

  merge(bars: Bar[]): void {
    for (const bar of bars) this.byTime.set(epochS(bar.t), candle(bar));
    this.sorted = [...this.byTime.values()].sort((a, b) => a.time - b.time);
  }

  /** A live bar: "last" when it is (or follows) the newest, "older" for a revision of an
   * earlier one, "stale" when nothing changed. */
  apply(bar: Bar): "last" | "older" | "stale" {
    const next = candle(bar);
    const last = this.last;
    const known = this.byTime.get(next.time);
    if (known && same(known, next)) return "stale";
    this.byTime.set(next.time, next);
    if (!last || next.time > last.time) {
      this.sorted.push(next);
      return "last";
    }
    if (next.time === last.time) {
      this.sorted[this.sorted.length - 1] = next;
      return "last";
    }
    this.sorted = [...this.byTime.values()].sort((a, b) => a.time - b.time);
    return "older";
  }
}

function same(a: Candle, b: Candle): boolean {
  return a.open === b.open && a.high === b.high && a.low === b.low && a.close === b.close && a.volume === b.volume;
}
