"""Executes sync commands: TradingView history -> BarSynced."""
