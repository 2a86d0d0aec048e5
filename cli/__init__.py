"""The `panelbot` command line: serve, demo, imports, sittings and agenda from a terminal."""
