"""The importer's compact rows: the SIRET rule matches the platform's, keys are stable and URL-safe."""

import random

from tests.factories import make_siret
from tremplin.ingest.decp_import.rows import _VALID_SIRETS, amount_text, key_prefix, make_key, valid_siret
from tremplin.organisations.rules import is_valid_siret


def test_valid_siret_is_the_platform_rule():
    rng = random.Random(7)
    values = [make_siret(n) for n in range(1, 3000)]
    values += [f"{rng.randrange(10**14):014d}" for _ in range(20_000)]  # mostly invalid
    values += [f"356000000{n:05d}" for n in range(2000)]  # La Poste: digit sum multiple of 5
    values += ["", "1234", "4239990850005 7", "42399908500057", "423999085OOO57", "４２３９９９０８５０００５７"]
    _VALID_SIRETS.clear()
    assert [valid_siret(v) for v in values] == [is_valid_siret(v) for v in values]
    assert sum(map(valid_siret, values)) > 3000


def test_keys():
    assert make_key("21590163800019R-1", "2024-01-01|A") == make_key("21590163800019R-1", "2024-01-01|A")
    assert make_key("21590163800019R-1", "2024-01-01|A") != make_key("21590163800019R-1", "2024-01-01|B")
    assert key_prefix("215901638/00019 Ä") == "215901638_00019_Ä"
    assert "/" not in make_key("a/b", "x")


def test_amount_text():
    assert amount_text(1234.5) == "1234.50" and amount_text("0.005") == "0.00" and amount_text(None) is None
    assert amount_text(10**15) is None and amount_text(float("nan")) is None
