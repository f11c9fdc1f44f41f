"""Redis adapters: latest quotes and the bars page cache (a cache, never the truth)."""
