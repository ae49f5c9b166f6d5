"""The administrators' rule workbench: what a rule change does before it goes live.

* :mod:`.runner` screens fixture cases against a rule directory and compares
  each answer with its expectation (``specreg test``);
* :mod:`.coverage` says which rules and grounds those cases exercised;
* :mod:`.replay` screens the same cases, or a JSONL export of applications,
  under two rule sets and reports what flipped (``specreg diff``);
* :mod:`.lint` checks a rule directory statically (``specreg lint``).

The command line is :mod:`specreg.cli.workbench`; the admin page at
``/admin`` (:mod:`specreg.web.admin_page`) shows the same results.
"""
