"""Callbacks, one module per feature; each is thin: state in, view model, patch out."""
