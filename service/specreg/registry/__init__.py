"""The registry: the appendix form of the Rules, the entry a registering screening adds, the export.

* :mod:`.form`: the form file (``rules/reference/registry_form.yaml``), its quoted
  labels and how cells are written;
* :mod:`.entry`: one specialist as a row of the form (``registry_entry``);
* :mod:`.export`: ``specreg registry-export`` to CSV and XLSX, and the public export (p.5).
"""

from specreg.registry.entry import Column, RegistryEntry, build_entry, entry_for, entry_values
from specreg.registry.form import COLUMN_KEYS, DATE_COLUMNS, FORM_LANGUAGES, FormColumn, RegistryForm

__all__ = [
    "COLUMN_KEYS", "DATE_COLUMNS", "FORM_LANGUAGES", "Column", "FormColumn", "RegistryEntry", "RegistryForm",
    "build_entry", "entry_for", "entry_values",
]
