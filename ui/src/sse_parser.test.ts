import { describe, expect, it } from "vitest";
import { SseParser } from "./sse_parser";

describe("SseParser", () => {
  it("joins data lines, keeps ids and skips heartbeats across chunk borders", () => {
    const parser = new SseParser();
    const first = parser.push(': heartbeat\n\nid: 7\nevent: bar.completed\ndata: {"a"');
    expect(first).toEqual([]);
    const rest = parser.push(':1}\ndata: x\r\n\r\nevent: quote\ndata: {}\n\n');
    expect(rest).toEqual([
      { event: "bar.completed", data: '{"a":1}\nx', id: "7" },
      { event: "quote", data: "{}", id: "7" },
    ]);
  });
});
