"""Parsed notice → model field values (pure: no database)."""

import dataclasses
from decimal import Decimal

import pytest

from tremplin.ingest.notices import RawRef, read_notices
from tremplin.notices import mapping
from tremplin.notices.mapping import content_hash, cpv_codes, map_notice
from tremplin.notices.models import Notice, NoticeAward, NoticeLot, NoticeWinner

from .conftest import BOAMP_XML, EFORMS, TED_R209, requires_data


def only(path):
    (item,) = list(read_notices(path))
    return item


@pytest.mark.parametrize(
    "model, widths",
    [
        (Notice, mapping.WIDTHS),
        (NoticeLot, mapping.LOT_WIDTHS),
        (NoticeAward, mapping.AWARD_WIDTHS),
        (NoticeWinner, mapping.WINNER_WIDTHS),
    ],
)
def test_widths_are_the_column_widths(model, widths):
    for name, width in widths.items():
        assert model._meta.get_field(name).max_length == width, name


@requires_data
def test_an_eforms_notice_is_keyed_without_its_version():
    notice = only(EFORMS / "2024-OJS017-00047522.xml")
    mapped = map_notice(notice)
    assert notice.source_id == "a638ab6b-7005-48a9-a9c7-b91bfc6142f1-01"
    assert (mapped.key, mapped.version) == ("a638ab6b-7005-48a9-a9c7-b91bfc6142f1", 1)
    assert mapped.fields["source_id"] == mapped.key
    assert mapped.fields["publication_key"] == "47522-2024"
    assert mapped.buyer_siret == "20003441100013"
    assert mapped.fields["deadline_at"].isoformat() == "2024-02-28T12:00:00+02:00"
    assert mapped.fields["place_department"] == "30"
    assert list(mapped.cpv_codes) == ["90511100", *notice.additional_cpv]
    assert mapped.cpv_codes["90511100"] is True
    assert len(mapped.lots) == 2 and all(lot["is_reserved"] is None for lot in mapped.lots)  # several lots: unknown


@requires_data
def test_a_ted_correction_keeps_the_reference_to_the_corrected_notice():
    mapped = map_notice(only(TED_R209 / "23-119901-001-EXP.xml"))
    assert mapped.fields["kind"] == "correction"
    assert mapped.fields["related_reference"] == "2022/S 098-267307"
    assert mapped.fields["related_key"] == "267307-2022"
    assert mapped.fields["publication_key"] == "121869-2023"


@requires_data
def test_a_boamp_award_maps_lots_awards_and_winners():
    notice = only(BOAMP_XML / "test-attribution-12.xml")
    mapped = map_notice(notice)
    assert len(mapped.lots) == 21 and len(mapped.awards) == 21
    award, winners = mapped.awards[0]
    assert award["awarded"] is True and winners and winners[0]["name"]
    assert mapped.fields["estimated_value"] == Decimal("855500.00")
    assert mapped.fields["related_key"] == "16-107438"


@requires_data
def test_content_hash_ignores_provenance_and_sees_content():
    notice = only(BOAMP_XML / "test-pub.xml")
    moved = dataclasses.replace(notice, raw_ref=RawRef("ailleurs.xml", "$"))
    retitled = dataclasses.replace(notice, title="Autre objet")
    assert content_hash(notice) == content_hash(moved)
    assert content_hash(notice) != content_hash(retitled)


@requires_data
def test_amounts_the_column_cannot_hold_are_dropped_and_flagged():
    notice = only(BOAMP_XML / "test-pub-8.xml")
    huge = dataclasses.replace(notice, estimated_value=Decimal("1e16"))
    mapped = map_notice(huge)
    assert mapped.fields["estimated_value"] is None
    assert "amount_invalid" in mapped.fields["flags"]
    precise = map_notice(dataclasses.replace(notice, estimated_value=Decimal("1234.5678")))
    assert precise.fields["estimated_value"] == Decimal("1234.57")


@requires_data
def test_long_text_is_cut_to_its_column_and_bad_links_dropped():
    notice = only(BOAMP_XML / "test-pub.xml")
    long = dataclasses.replace(
        notice, buyer_name="x" * 900, documents_url="javascript:alert(1)", notice_url="https://e.fr/" + "a" * 600
    )
    mapped = map_notice(long)
    assert len(mapped.fields["buyer_name"]) == 500
    assert mapped.fields["documents_url"] == ""
    assert mapped.fields["notice_url"] == ""


@requires_data
def test_a_single_lot_takes_the_reserved_flag_of_its_notice():
    notice = only(BOAMP_XML / "test-pub-3.xml")
    assert notice.reserved and len(notice.lots) == 1
    assert map_notice(notice).lots[0]["is_reserved"] is True


@requires_data
def test_cpv_codes_gather_main_additional_and_lot_codes_once():
    notice = only(BOAMP_XML / "test-pub.xml")
    lot = dataclasses.replace(notice.lots[0], cpv="45210000", additional_cpv=("45210000", "bad", "71000000"))
    codes = cpv_codes(dataclasses.replace(notice, additional_cpv=("71000000",), lots=(lot,)))
    assert codes == {notice.cpv: True, "71000000": False, "45210000": False}
