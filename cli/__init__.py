"""limitlab's command line: Typer commands and rich rendering over limitlab.core."""
