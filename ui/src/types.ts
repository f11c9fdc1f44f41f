// The shapes of the REST bodies and SSE events the page reads (docs/openapi.json).

export interface Bar {
  t: string; // RFC 3339 UTC open time
  o: number;
  h: number;
  l: number;
  c: number;
  v: number;
}

export interface BarsPage {
  symbol: string;
  interval: string;
  bars: Bar[];
  next_cursor: string | null;
}

export interface IntervalCoverage {
  interval: string;
  start?: string | null;
  end?: string | null;
  bars?: number | null;
}

export interface SymbolInfo {
  symbol: string;
  intervals: IntervalCoverage[];
  description?: string | null;
  timezone?: string | null;
}

export interface Quote {
  symbol: string;
  price: number;
  volume: number;
  bid?: number | null;
  ask?: number | null;
  ts: string;
}

export interface LiveBar extends Bar {
  symbol: string;
  interval: string;
  revision?: number;
}

export interface Job {
  job_id: string;
  status: "pending" | "running" | "done" | "failed";
  symbol?: string;
  interval?: string;
  bars: number | null;
  error: string | null;
  progress?: { bars_fetched: number; bars_written: number; expected: number | null };
}

export const INTERVALS = ["1m", "5m", "15m", "1h", "4h", "1d", "1w", "1M"] as const;
