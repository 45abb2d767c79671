"""Entry point of ``python -m tracing``."""

import sys

from tracing.cli import main

if __name__ == "__main__":
    sys.exit(main())
