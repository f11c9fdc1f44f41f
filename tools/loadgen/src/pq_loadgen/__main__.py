"""`python -m pq_loadgen`: the same as the `pq-loadgen` command."""

from .cli import main

raise SystemExit(main())
