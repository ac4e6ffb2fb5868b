"""Importers of external data (DECP, SIRENE, BOAMP, TED)."""
