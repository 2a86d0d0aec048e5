"""The scrutiny panel's domain: cases, sittings, agenda, actions, closure, roles, identity guard.

Standard library only: no Teams, no web framework, no storage driver, no I/O.
"""
