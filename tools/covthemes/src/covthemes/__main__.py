"""`python -m covthemes`: the same command line as the `covthemes` script."""

import sys

from covthemes.cli import main

if __name__ == "__main__":
    sys.exit(main())
