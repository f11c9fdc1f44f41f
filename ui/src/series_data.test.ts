import { describe, expect, it } from "vitest";
import { SeriesData } from "./series_data";

const bar = (t: string, c: number) => ({ t, o: 1, h: 9, l: 0, c, v: 5 });

describe("SeriesData", () => {
  it("updates the last candle in place, appends a new one and corrects an older one", () => {
    const data = new SeriesData();
    data.merge([bar("2025-03-08T12:01:00Z", 2), bar("2025-03-08T12:00:00Z", 1)]);
    expect(data.candles.map((c) => c.close)).toEqual([1, 2]);
    expect(data.apply(bar("2025-03-08T12:01:00Z", 3))).toBe("last");
    expect(data.apply(bar("2025-03-08T12:01:00Z", 3))).toBe("stale");
    expect(data.apply(bar("2025-03-08T12:02:00Z", 4))).toBe("last");
    expect(data.apply(bar("2025-03-08T12:00:00Z", 7))).toBe("older");
    expect(data.candles.map((c) => c.close)).toEqual([7, 3, 4]);
  });
});
