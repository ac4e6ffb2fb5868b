"""Every real sample and every official eForms SDK example reads without an exception, with
the counts known from shared/data/SOURCES.md §2–3."""

from collections import Counter
from functools import cache

import pytest

from tremplin.ingest.notices import FLAGS, KINDS, REJECTIONS, Notice, Rejection, read_notices

from .conftest import BOAMP_JSON, BOAMP_XML, EFORMS, SDK_EXAMPLES, TED_R209, requires_data

pytestmark = requires_data


def _files(folder, pattern="*"):
    return sorted(folder.glob(pattern)) if folder.is_dir() else []


@cache
def scan(path):
    return tuple(read_notices(path))


def _check(items):
    for item in items:
        if isinstance(item, Notice):
            assert item.kind in KINDS
            assert set(item.flags) <= set(FLAGS), item.flags
            assert item.source_id
            assert item.raw_ref.file
        else:
            assert isinstance(item, Rejection)
            assert item.reason_code in REJECTIONS
            assert item.reason_code != "internal_error", item
            assert item.reason_fr and item.file


def test_sample_counts():
    assert len(_files(BOAMP_XML, "*.xml")) == 19
    assert len(_files(BOAMP_JSON, "*.json")) == 2
    assert len(_files(EFORMS, "*.xml")) == 24
    assert len(_files(TED_R209)) == 78


@pytest.mark.parametrize(
    "path",
    _files(BOAMP_XML, "*.xml") + _files(EFORMS, "*.xml") + _files(TED_R209) + [BOAMP_JSON / "20-152081.json"],
    ids=lambda p: p.name,
)
def test_each_real_file_is_one_notice(path):
    items = scan(path)
    _check(items)
    assert len(items) == 1 and isinstance(items[0], Notice), items


def test_boamp_kinds():
    kinds = Counter(scan(path)[0].kind for path in _files(BOAMP_XML, "*.xml"))
    # SOURCES.md §2: 8 calls for tender, 11 award notices.
    assert kinds == {"competition": 8, "award": 11}


def test_eforms_kinds():
    notices = [scan(path)[0] for path in _files(EFORMS, "*.xml")]
    # SOURCES.md §3: 11 ContractNotice, 9 ContractAwardNotice, 4 PIN — the 4 PINs are
    # pin-cfc (calls for competition, subtypes 10 and 11) or qu-sy.
    assert Counter(n.kind for n in notices) == {"competition": 15, "award": 9}
    assert Counter(n.form_type for n in notices)["can-standard"] == 9
    assert sum(n.buyer_country == "FR" for n in notices) == 4


def test_ted_forms():
    notices = [scan(path)[0] for path in _files(TED_R209)]
    forms = Counter(n.form_type for n in notices)
    assert forms["F02"] == 28 and forms["F03"] == 18  # SOURCES.md §3
    assert {n.format for n in notices} == {"ted_r209"}
    # 10 French buyers
    assert sum(n.buyer_country == "FR" for n in notices) == 10


def test_boamp_summary_is_streamed_into_34_minimal_notices():
    items = scan(BOAMP_JSON / "ad_summary_34_notices.json")
    _check(items)
    assert len(items) == 34
    assert all(isinstance(n, Notice) and n.flags == ("summary_only",) for n in items)
    assert all(n.deadline_date is not None for n in items)


def test_sdk_examples_archive():
    items = scan(SDK_EXAMPLES)
    _check(items)
    files = {item.raw_ref.file if isinstance(item, Notice) else item.file for item in items}
    assert len(files) == 92 and len(items) == 92
    notices = [i for i in items if isinstance(i, Notice)]
    rejections = Counter(i.reason_code for i in items if isinstance(i, Rejection))
    # X01/X02 are company registrations, and the INVALID_* examples without notice id.
    assert rejections == {"missing_id": 10, "not_procurement": 2}
    assert all("INVALID_" in i.file for i in items if isinstance(i, Rejection) and i.reason_code == "missing_id")
    kinds = Counter(n.kind for n in notices)
    assert kinds["modification"] == 5 and kinds["cancellation"] == 1 and kinds["correction"] == 3
    # Unpublished examples: the issue date stands in for the publication date.
    assert all("publication_date_from_issue" in n.flags for n in notices if n.publication_number is None)
