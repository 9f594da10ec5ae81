"""anquan — work-safety responsibility records kept as plain YAML/CSV in git.

The package is layered as a pipeline (see README, "Architecture"):
``models`` (record types) → ``io`` (bytes → positioned data) → ``workspace``
(find and load a workspace) → ``rules`` (pure checks) → ``views`` (output) →
``cli`` (thin typer commands).
"""

__version__ = "0.1.0"
