"""Enrichment of our organisations from the INSEE SIRENE stock files (`tremplin import_sirene`).

* `columns`: the official column names of StockEtablissement and StockUniteLegale.
* `reader`: streaming reader (plain, .gz, .zip), file kind detected from the header, fast skip of rows not ours.
* `enrich`: pure mapping of a row to field changes, with the ownership and privacy rules (see its docstring).
* `service`: the run: index of our SIRETs/SIRENs, batches, database writes, counts for the report.

Enrich-only: rows of organisations we do not hold are skipped; nothing is created.
"""
