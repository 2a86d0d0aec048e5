"""The Teams edge, and the only package that imports botbuilder: activities in, replies out."""
