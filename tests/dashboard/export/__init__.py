"""Tests mirroring the source tree (see tests/README in the project README)."""
