// The API key lives in this tab's sessionStorage only. A link may carry it in the URL
// fragment (`#key=...&symbol=...&interval=...`), which browsers never send to a server;
// the key is taken out of the visible URL as soon as it is read.

const STORAGE_KEY = "pq.apiKey";

export interface LinkState {
  symbol: string | null;
  interval: string | null;
}

export function readFragment(): LinkState {
  const params = new URLSearchParams(location.hash.replace(/^#/, ""));
  const key = params.get("key");
  if (key) {
    saveKey(key);
    params.delete("key");
  }
  const state = { symbol: params.get("symbol"), interval: params.get("interval") };
  writeFragment(state);
  return state;
}

/** The chart's symbol and interval in the fragment, so the address can be shared (no key). */
export function writeFragment(state: LinkState): void {
  const params = new URLSearchParams();
  if (state.symbol) params.set("symbol", state.symbol);
  if (state.interval) params.set("interval", state.interval);
  const hash = params.toString();
  history.replaceState(null, "", `${location.pathname}${location.search}${hash ? `#${hash}` : ""}`);
}

export function savedKey(): string | null {
  return sessionStorage.getItem(STORAGE_KEY);
}

export function saveKey(key: string): void {
  sessionStorage.setItem(STORAGE_KEY, key.trim());
}

export function forgetKey(): void {
  sessionStorage.removeItem(STORAGE_KEY);
}
