"""Adapters: TradingView history, job records (SQLite, MongoDB), schedules bucket, commands."""
