"""Presenters: core's read models (codes and raw parameters) in words, as JSON and screens."""
