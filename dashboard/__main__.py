"""``python -m dashboard`` behaves exactly like the ``africa-presence`` command."""

import sys

from dashboard.cli import main

sys.exit(main())
