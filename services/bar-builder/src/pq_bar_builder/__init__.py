"""QuoteReceived -> multi-interval bars -> BarCompleted."""
