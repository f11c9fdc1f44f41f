// lightweight-charts draws its time axis in UTC. To show a market's own clock, each bar's
// time is shifted by that zone's UTC offset at that instant (DST included).
import type { UTCTimestamp } from "lightweight-charts";

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(zone: string): Intl.DateTimeFormat {
  let f = formatters.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat("en-US", {
      timeZone: zone,
      hourCycle: "h23",
      year: "numeric",
      month: "numeric",
      day: "numeric",
      hour: "numeric",
      minute: "numeric",
      second: "numeric",
    });
    formatters.set(zone, f);
  }
  return f;
}

/** The zone's offset from UTC in seconds at `epochS`. */
export function offsetS(zone: string, epochS: number): number {
  if (zone === "UTC") return 0;
  const parts: Record<string, number> = {};
  for (const p of formatter(zone).formatToParts(new Date(epochS * 1000))) {
    if (p.type !== "literal") parts[p.type] = Number(p.value);
  }
  const wall = Date.UTC(parts.year, parts.month - 1, parts.day, parts.hour, parts.minute, parts.second);
  return Math.round(wall / 1000 - Math.floor(epochS));
}

export function epochS(rfc3339: string): number {
  return Math.floor(Date.parse(rfc3339) / 1000);
}

export function chartTime(epoch: number, zone: string): UTCTimestamp {
  return (epoch + offsetS(zone, epoch)) as UTCTimestamp;
}

export function isZone(zone: string | null | undefined): zone is string {
  if (!zone) return false;
  try {
    formatter(zone);
    return true;
  } catch {
    return false;
  }
}
