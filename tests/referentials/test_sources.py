"""Reading source files record by record with line numbers, and reporting problems by file and line."""

import gzip

import pytest

from tremplin.referentials.sources import SourceError, iter_csv, iter_json_array, read_json_object


def test_json_array_elements_come_with_the_line_they_start_on(tmp_path):
    path = tmp_path / "regions.json"
    path.write_text('[\n{"code": "11"},\n\n{"code": "84",\n "nom": "x"},\n{"code": "93"}\n]\n', encoding="utf-8")
    assert list(iter_json_array(path)) == [
        ("ligne 2", {"code": "11"}),
        ("ligne 4", {"code": "84", "nom": "x"}),
        ("ligne 6", {"code": "93"}),
    ]


def test_json_arrays_may_be_compact_or_empty(tmp_path):
    (tmp_path / "a.json").write_text('[{"a":1},{"a":2}]', encoding="utf-8")
    (tmp_path / "b.json").write_text(" [ ] ", encoding="utf-8")
    assert [element for _, element in iter_json_array(tmp_path / "a.json")] == [{"a": 1}, {"a": 2}]
    assert list(iter_json_array(tmp_path / "b.json")) == []


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('[\n{"code": "11"},\n{"code": 84x}\n]', "communes.json, ligne 3 : JSON mal formé"),
        ('[\n{"code": "11"}\n{"code": "84"}\n]', "communes.json, ligne 3 : JSON mal formé (« , » ou « ] » attendu)"),
        ('\n\n{"code": "11"}', "communes.json, ligne 3 : un tableau JSON est attendu"),
        ('[\n{"code": "11"},\n', "communes.json, ligne 3 : JSON mal formé"),
    ],
)
def test_malformed_json_arrays_are_reported_by_file_and_line(tmp_path, text, message):
    path = tmp_path / "communes.json"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(SourceError) as caught:
        list(iter_json_array(path))
    assert str(caught.value).startswith(message)


def test_gzipped_files_are_read_transparently_and_a_corrupt_one_is_reported(tmp_path):
    good, bad = tmp_path / "communes.json.gz", tmp_path / "broken.json.gz"
    good.write_bytes(gzip.compress(b'[{"code": "01001"}]'))
    bad.write_bytes(b"not gzip at all")
    assert list(iter_json_array(good)) == [("ligne 1", {"code": "01001"})]
    with pytest.raises(SourceError, match=r"^broken\.json\.gz : fichier illisible"):
        list(iter_json_array(bad))


def test_a_missing_file_is_named_in_full(tmp_path):
    with pytest.raises(SourceError) as caught:
        list(iter_csv(tmp_path / "cpv" / "cpv_2008_fr.csv", ["code"]))
    assert str(caught.value) == f"{tmp_path / 'cpv' / 'cpv_2008_fr.csv'} : fichier introuvable"


def test_csv_rows_come_with_their_line_and_missing_columns_are_named(tmp_path):
    path = tmp_path / "cpv.csv"
    path.write_text('code,libelle\n1,"Un"\n2,"Deux\nlignes"\n3,Trois\n', encoding="utf-8")
    assert [(where, row["code"]) for where, row in iter_csv(path, ["code"])] == [
        ("ligne 2", "1"),
        ("ligne 4", "2"),  # the physical line where the quoted multi-line row ends
        ("ligne 5", "3"),
    ]
    with pytest.raises(SourceError, match=r"^cpv\.csv, ligne 1 : colonnes manquantes : niveau, code8$"):
        list(iter_csv(path, ["code", "niveau", "code8"]))


def test_csv_rows_with_a_wrong_number_of_fields_are_refused(tmp_path):
    path = tmp_path / "cpv.csv"
    path.write_text("code,libelle\n1,Un\n2\n", encoding="utf-8")
    with pytest.raises(SourceError, match=r"^cpv\.csv, ligne 3 : nombre de colonnes incorrect"):
        list(iter_csv(path, ["code"]))


def test_a_json_object_file_must_hold_an_object(tmp_path):
    (tmp_path / "db.json").write_text('{"62.01Z": {}}', encoding="utf-8")
    (tmp_path / "list.json").write_text("[1]", encoding="utf-8")
    (tmp_path / "bad.json").write_text('{\n"a": }', encoding="utf-8")
    assert read_json_object(tmp_path / "db.json") == {"62.01Z": {}}
    with pytest.raises(SourceError, match=r"^list\.json : un objet JSON est attendu"):
        read_json_object(tmp_path / "list.json")
    with pytest.raises(SourceError, match=r"^bad\.json, ligne 2 : JSON mal formé"):
        read_json_object(tmp_path / "bad.json")
