"""Garbage never raises: it becomes a Rejection with a reason (and the next file is read)."""

import gzip
import io
import tarfile
import zipfile

import pytest

from tremplin.ingest.notices import Notice, Rejection, read_notices

from .conftest import BOAMP_XML, EFORMS, TED_R209, from_bytes, one_from_bytes, requires_data

EFORMS_HEAD = (
    b'<?xml version="1.0" encoding="UTF-8"?><ContractNotice '
    b'xmlns="urn:oasis:names:specification:ubl:schema:xsd:ContractNotice-2" '
    b'xmlns:cbc="urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2">'
)


def rejection(data: bytes, name: str = "x.xml") -> Rejection:
    item = one_from_bytes(data, name)
    assert isinstance(item, Rejection), item
    assert item.file == name and item.reason_fr
    return item


@pytest.mark.parametrize(
    ("data", "code"),
    [
        (b"", "empty_file"),
        (b"   \n\t ", "empty_file"),
        (b"<?xml version='1.0'?><foo><bar/></foo>", "unknown_format"),
        (b"\x00\x01\x02garbage\xff\xfe binary", "unknown_format"),
        (b"PK\x03\x04 not really a zip", "unknown_format"),  # a stream, not a path: no archive expansion
        (b"hello, world", "unknown_format"),
        (b'[{"a": 1}]', "unknown_format"),
        (b'{"gestion": {"reference": ', "syntax_error"),
        (b'{"gestion": []}', "invalid_payload"),
        (b'{"gestion": {"reference": {"idweb": null}}}', "missing_id"),
        (EFORMS_HEAD + b"<cbc:ID>abc</cbc:ID>", "syntax_error"),
        (EFORMS_HEAD + b"</ContractNotice>", "missing_id"),
        (b"<ANNONCE><GESTION><REFERENCE><IDWEB>1</IDWEB></REFERENCE></GESTION>", "syntax_error"),
        (
            b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;">]>'
            b"<ANNONCE>&lol2;</ANNONCE>",
            "forbidden_markup",
        ),
        (b"<TED_EXPORT><FORM_SECTION/></TED_EXPORT>", "missing_id"),
        (b'<TED_EXPORT DOC_ID="1-2020"><FORM_SECTION/></TED_EXPORT>', "unknown_format"),
        (
            b'<TED_EXPORT DOC_ID="1-2020"><FORM_SECTION><F17_2014 CATEGORY="ORIGINAL"/></FORM_SECTION></TED_EXPORT>',
            "unsupported_form",
        ),
        (
            b'<TED_EXPORT DOC_ID="1-2020"><FORM_SECTION><MOVE CATEGORY="ORIGINAL"/></FORM_SECTION></TED_EXPORT>',
            "unsupported_form",
        ),
    ],
)
def test_garbage_is_rejected(data, code):
    item = rejection(data)
    assert item.reason_code == code, item


def test_unsupported_form_names_the_form():
    data = b'<TED_EXPORT DOC_ID="1-2020"><FORM_SECTION><F17_2014 CATEGORY="ORIGINAL"/></FORM_SECTION></TED_EXPORT>'
    assert "F17" in rejection(data).reason_fr


@requires_data
@pytest.mark.parametrize(
    "path", [EFORMS / "2024-OJS198-00612681.xml", TED_R209 / "22-011421-001-EXP.xml", BOAMP_XML / "test-pub.xml"]
)
@pytest.mark.parametrize("fraction", [0.1, 0.5, 0.99])
def test_truncated_real_files(path, fraction):
    data = path.read_bytes()
    item = rejection(data[: int(len(data) * fraction)])
    assert item.reason_code == "syntax_error"


@requires_data
def test_utf16_and_bom_are_read():
    data = (BOAMP_XML / "test-pub.xml").read_bytes()
    text = data.decode("utf-8").replace('encoding="UTF-8"', 'encoding="UTF-16"')
    notice = one_from_bytes(text.encode("utf-16"))
    assert isinstance(notice, Notice) and notice.buyer_name == "Ville de Paris"
    notice = one_from_bytes(b"\xef\xbb\xbf" + data)
    assert isinstance(notice, Notice) and notice.source_id == "16-186394"


def test_summary_with_bad_entries_keeps_the_good_ones():
    data = (
        b'{"20-1": ["REF", "Objet", "2021-01-11 12:00:00"], "20-2": "oops", '
        b'"20-3": ["None", "None", "None"], "20-4": [1'
    )
    items = from_bytes(data, "summary.json")
    assert isinstance(items[0], Notice) and items[0].title == "Objet"
    assert isinstance(items[1], Rejection) and items[1].reason_code == "invalid_payload"
    assert isinstance(items[2], Notice) and items[2].title is None and items[2].deadline_date is None
    assert isinstance(items[3], Rejection) and items[3].reason_code == "syntax_error"
    assert len(items) == 4


def test_summary_with_an_impossible_date():
    item = one_from_bytes(b'{"20-1": ["R", "O", "2021-02-30 12:00:00"]}', "s.json")
    assert isinstance(item, Notice) and item.deadline_date is None and "date_invalid" in item.flags


@requires_data
def test_archives_and_broken_archives(tmp_path):
    good = (BOAMP_XML / "test-pub.xml").read_bytes()
    archive = tmp_path / "notices.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("a/test-pub.xml", good)
        zf.writestr("a/empty.xml", b"")
        zf.writestr("a/broken.xml", good[:500])
    items = list(read_notices(archive))
    assert [type(i).__name__ for i in items] == ["Notice", "Rejection", "Rejection"]
    assert items[0].raw_ref.file == "notices.zip:a/test-pub.xml"
    assert [i.reason_code for i in items[1:]] == ["empty_file", "syntax_error"]

    truncated = tmp_path / "cut.xml.gz"
    truncated.write_bytes(gzip.compress(good)[:300])
    codes = [i.reason_code for i in read_notices(truncated) if isinstance(i, Rejection)]
    assert codes and set(codes) <= {"syntax_error", "read_error"}

    tar_path = tmp_path / "notices.tar.gz"
    with tarfile.open(tar_path, "w:gz") as tar:
        info = tarfile.TarInfo("x/test-pub.xml")
        info.size = len(good)
        tar.addfile(info, io.BytesIO(good))
    assert isinstance(next(iter(read_notices(tar_path))), Notice)
    corrupt = tmp_path / "corrupt.tar.gz"
    corrupt.write_bytes(tar_path.read_bytes()[:200])
    assert all(isinstance(i, Rejection) for i in read_notices(corrupt))

    bad_zip = tmp_path / "bad.zip"
    bad_zip.write_bytes(b"PK\x03\x04 not really a zip")
    assert [i.reason_code for i in read_notices(bad_zip)] == ["read_error"]

    missing = list(read_notices(tmp_path / "nope.xml"))
    assert len(missing) == 1 and missing[0].reason_code == "read_error"


def test_deeply_nested_json_is_rejected():
    data = b'{"gestion": ' + b'{"a": ' * 200 + b"1" + b"}" * 200 + b"}"
    assert rejection(data, "deep.json").reason_code in ("record_too_large", "missing_id")
