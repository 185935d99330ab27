"""Allows ``python -m si_timer``."""

import sys

from si_timer.cli import main

sys.exit(main())
