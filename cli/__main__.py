"""`python -m limitlab.cli`."""

from .main import main

main()
