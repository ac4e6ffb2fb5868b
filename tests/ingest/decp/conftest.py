"""Shared paths and helpers for the DECP parsing/normalisation tests (no database)."""

import os
from datetime import date
from pathlib import Path

import pytest

from tremplin.ingest.decp.normalize import Contract, normalize
from tremplin.ingest.decp.records import RawRecord

# tests/ingest/decp/conftest.py → parents[3] is the repository root.
REPO_ROOT = Path(__file__).resolve().parents[3]
DATA_DIR = Path(os.environ.get("TREMPLIN_DATA_DIR") or REPO_ROOT.parent / "shared" / "data")
DECP_DIR = DATA_DIR / "decp"
REAL_2019 = DECP_DIR / "real" / "format_2019"
REAL_2024 = DECP_DIR / "real" / "format_2024"
TABULAR = DECP_DIR / "real" / "tabular"

# Fixed "today" so that the future-date rule gives the same result every day.
TODAY = date(2026, 1, 1)

requires_data = pytest.mark.skipif(not DECP_DIR.is_dir(), reason=f"shared DECP data not found in {DECP_DIR}")


def base_payload(**overrides):
    """A minimal valid 2019 market (values from marches-publics.info, marches[0]), then overrides;
    an override set to ... removes the key."""
    payload = {
        "id": "2018MC1804600",
        "acheteur": {"id": "24201005600073", "nom": "Communauté d'Agglomération du Pays Ajaccien"},
        "nature": "Accord-cadre",
        "objet": "Traitement des lixiviats issus de la décharge de Saint Antoine",
        "codeCPV": "90513500",
        "procedure": "Appel d'offres ouvert",
        "lieuExecution": {"code": "20000", "typeCode": "Code postal", "nom": "Ajaccio"},
        "dureeMois": 48,
        "dateNotification": "2018-01-20",
        "datePublicationDonnees": "2019-01-16",
        "montant": 30000,
        "formePrix": "Révisable",
        "titulaires": [{"denominationSociale": "OVIVE", "id": "42399908500057", "typeIdentifiant": "SIRET"}],
        "modifications": [],
    }
    for key, value in overrides.items():
        if value is ...:
            payload.pop(key, None)
        else:
            payload[key] = value
    return payload


def norm(payload, kind="marche", fmt="2019", notes=()):
    return normalize(RawRecord("marches[0]", kind, payload, fmt, notes), "test", today=TODAY)


def contract(payload=None, **kwargs) -> Contract:
    result = norm(payload if payload is not None else base_payload(), **kwargs)
    assert isinstance(result, Contract), result
    return result
