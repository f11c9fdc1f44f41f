// Numbers and times as people read them.

export function price(value: number | null | undefined): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return "—";
  const digits = Math.abs(value) >= 1000 ? 2 : Math.abs(value) >= 1 ? 4 : 8;
  return value.toLocaleString("en-US", { maximumFractionDigits: digits, minimumFractionDigits: 2 });
}

export interface Change {
  percent: string;
  amount: string;
  sign: number;
}

export function change(last: number | null, open: number | null): Change {
  if (last === null || open === null || open === 0) return { percent: "—", amount: "", sign: 0 };
  const diff = last - open;
  const plus = diff > 0 ? "+" : "";
  const percent = `${plus}${((diff / open) * 100).toFixed(2)}%`;
  return { percent, amount: `${plus}${price(diff)}`, sign: Math.sign(diff) };
}

export function day(rfc3339: string | null | undefined): string {
  return rfc3339 ? rfc3339.slice(0, 10) : "?";
}

export function clock(rfc3339: string, zone: string): string {
  return new Date(rfc3339).toLocaleString("en-GB", { timeZone: zone, hour12: false, timeZoneName: "short" });
}
