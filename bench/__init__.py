"""Measurement scripts (not timed tests): `make bench` or `python -m bench.<name>`."""
