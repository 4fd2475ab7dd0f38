"""One module per command family; cli/main.py registers them."""
