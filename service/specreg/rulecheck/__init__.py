"""Rule checking (``specreg lint``): a rule directory checked before it is deployed or reloaded.

The service (start-up and reload refuse a directory that fails it) and the
workbench (``specreg lint``, the page) both use it; it imports neither.
"""
