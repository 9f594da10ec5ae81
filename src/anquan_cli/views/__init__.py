"""Rendering results for people (text, tables) and for machines (JSON, CSV)."""
