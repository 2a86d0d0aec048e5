"""Implementations of the repository ports declared in `panel.ports`: SQLite (default), Cosmos DB."""
