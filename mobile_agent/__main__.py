"""`python -m mobile_agent` runs the command line."""

import sys

from mobile_agent.cli import main

sys.exit(main())
