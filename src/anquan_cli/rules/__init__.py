"""Pure functions over loaded records: checks now; overdue, escalation, coverage and duty
compliance as they are built.  A rule returns values (results or problems); it never
prints and never touches files."""
