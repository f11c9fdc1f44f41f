"""Local TradingView protocol simulator (development server)."""
