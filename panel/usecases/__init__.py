"""Use cases: plain async functions that take their dependencies and an actor, and check permission."""
