"""``python -m sk_backprop``: the command line (``sk_backprop.cli``)."""

import sys

from .cli import main

if __name__ == "__main__":
    sys.exit(main())
