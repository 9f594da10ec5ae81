"""Bytes on disk → positioned plain data (dicts, lists, strings) with ``file:line`` problems.

Nothing in this package knows about record kinds; :mod:`anquan_cli.workspace` does.
"""
