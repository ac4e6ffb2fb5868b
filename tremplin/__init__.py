"""Tremplin: open-source platform for French public procurement."""
