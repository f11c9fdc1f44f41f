"""Async TradingView WebSocket client: frame codec, history, live quotes."""
