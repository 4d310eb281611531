"""`python -m pairctl`."""

from pairctl.cli import main

main()
