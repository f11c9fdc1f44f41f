"""TradingView quote sessions -> QuoteReceived."""
