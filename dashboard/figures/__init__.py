"""Figures built from the view model: the map (skeleton + per-state patch) and its print form."""
