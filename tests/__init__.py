"""Test suite of africa-presence (a package so tests can share helpers from conftest)."""
