import sys

from pq_launcher.cli import main

sys.exit(main())
