import { describe, expect, it } from "vitest";
import { chartTime, epochS, offsetS } from "./times";

describe("time zones", () => {
  it("shifts by the exchange offset, DST included", () => {
    const winter = epochS("2025-03-07T14:30:00Z");
    const summer = epochS("2025-03-10T13:30:00Z");
    expect(offsetS("America/New_York", winter)).toBe(-5 * 3600);
    expect(offsetS("America/New_York", summer)).toBe(-4 * 3600);
    expect(chartTime(winter, "America/New_York")).toBe(epochS("2025-03-07T09:30:00Z"));
    expect(chartTime(winter, "UTC")).toBe(winter);
  });
});
