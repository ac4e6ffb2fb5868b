"""Opening paths: plain files, gzip, tar(.gz), zip, nested archives, corrupt archives."""

import gzip
import io
import json
import tarfile
import zipfile

import pytest

from tremplin.ingest.decp.reader import read_path
from tremplin.ingest.decp.records import ParseFault, RawRecord
from tremplin.ingest.decp.sources import SourceError, iter_members

DOC = json.dumps({"marches": [{"id": "A", "acheteur": {"id": "24201005600073"}}]}).encode()
EMPTY = b'{"marches": []}'  # per-upload files under 180 bytes: empty envelopes


def _members(path):
    return [(name, stream.read()) for name, stream in iter_members(path)]


def _tar(path, files, mode="w:gz"):
    with tarfile.open(path, mode) as archive:
        directory = tarfile.TarInfo("data.gouv.fr_pes")
        directory.type = tarfile.DIRTYPE
        archive.addfile(directory)
        for name, data in files.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))


def test_plain_and_gzip(tmp_path):
    plain = tmp_path / "decp.json"
    plain.write_bytes(DOC)
    assert _members(plain) == [("decp.json", DOC)]
    packed = tmp_path / "decp.json.gz"
    packed.write_bytes(gzip.compress(DOC))
    assert _members(packed) == [("decp.json", DOC)]
    # Recognised by content, not by name
    odd = tmp_path / "export.dat"
    odd.write_bytes(gzip.compress(DOC))
    assert _members(odd) == [("export.dat", DOC)]


@pytest.mark.parametrize(("suffix", "mode"), [(".tar.gz", "w:gz"), (".tgz", "w:gz"), (".tar", "w")])
def test_tar_members_skip_directories_and_hidden_files(tmp_path, suffix, mode):
    # Layout of decp-rama_2019-02_pes_per_buyer_files.tar.gz: a directory, then one file per upload.
    path = tmp_path / f"pes{suffix}"
    _tar(
        path,
        {
            "data.gouv.fr_pes/DECP-1-2019-01-01-01.xml.json": DOC,
            "data.gouv.fr_pes/DECP-2-2019-01-01-01.xml.json": EMPTY,
            "data.gouv.fr_pes/.DS_Store": b"junk",
            "__MACOSX/data.gouv.fr_pes/._x": b"junk",
        },
        mode,
    )
    assert _members(path) == [
        ("data.gouv.fr_pes/DECP-1-2019-01-01-01.xml.json", DOC),
        ("data.gouv.fr_pes/DECP-2-2019-01-01-01.xml.json", EMPTY),
    ]


def test_zip_with_nested_gzip(tmp_path):
    path = tmp_path / "bundle.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("a/decp.json", DOC)
        archive.writestr("a/b.json.gz", gzip.compress(DOC))
        archive.writestr("a/", b"")
    assert _members(path) == [("a/decp.json", DOC), ("a/b.json", DOC)]


def test_zip_inside_tar_gz(tmp_path):
    inner = io.BytesIO()
    with zipfile.ZipFile(inner, "w") as archive:
        archive.writestr("decp.json", DOC)
    path = tmp_path / "outer.tar.gz"
    _tar(path, {"inner.zip": inner.getvalue()})
    assert _members(path) == [("decp.json", DOC)]


def test_read_path_yields_records_and_faults_per_member(tmp_path):
    path = tmp_path / "pes.tar.gz"
    _tar(path, {"one.json": DOC, "two.json": EMPTY, "three.json": b"garbage"})
    items = [(name, type(item).__name__, getattr(item, "code", None)) for name, item in read_path(path)]
    assert items == [
        ("one.json", "RawRecord", None),
        ("two.json", "ParseFault", "empty_file"),
        ("three.json", "ParseFault", "unknown_format"),
    ]


def test_corrupt_zip(tmp_path):
    path = tmp_path / "broken.zip"
    path.write_bytes(b"PK\x03\x04" + b"\x00" * 40)
    with pytest.raises(SourceError):
        list(iter_members(path))
    ((name, fault),) = list(read_path(path))
    assert name == "broken.zip" and isinstance(fault, ParseFault) and fault.code == "read_error"


def test_truncated_gzip_keeps_the_records_read(tmp_path):
    big = json.dumps({"marches": [{"id": str(i), "acheteur": {"id": "1"}} for i in range(2000)]}).encode()
    path = tmp_path / "cut.json.gz"
    path.write_bytes(gzip.compress(big)[:-200])
    items = [item for _, item in read_path(path)]
    assert len([i for i in items if isinstance(i, RawRecord)]) > 1000
    assert isinstance(items[-1], ParseFault) and items[-1].code in {"read_error", "syntax_error"}
