"""`python -m limitlab.cli`."""

from .app import main

main()
