"""Every write into workspace files goes through this package.

* :mod:`.session` — the one write path: workspace lock, load under the lock, stale-file
  check, validate before write, atomic rename;
* :mod:`.lock` — the workspace lock (``filelock``, Windows too);
* :mod:`.validate` — the gate: the files as they would be, checked with ``anquan check``'s
  own checks, compared record by record with the files as they are;
* :mod:`.yamltext`, :mod:`.csvtext` — the one YAML and the one CSV writer: splices at the
  parser's positions, so only the record's own bytes change;
* :mod:`.hazards`, :mod:`.imports`, :mod:`.merge` — what the commands write: lifecycle
  steps, ``set`` and ``add``; imported rows; the git merge driver's result.
"""
