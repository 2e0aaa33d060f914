"""`python -m sarflow` runs the same command line as the `sarflow` script."""

from sarflow.cli import main

raise SystemExit(main())
