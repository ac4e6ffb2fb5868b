"""The importer's rules on crafted copies of real notices: versions, conflicts, re-read files, summaries, links
made in any order, organisations, rejections kept then forgotten, database errors, batches."""

import io
import json
import tarfile

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DataError

import tremplin.notices.importer as importer_module
from tests.factories import OrganisationFactory
from tremplin.notices.importer import import_notices
from tremplin.notices.models import Notice, NoticeCpv, RejectedNotice

from .conftest import BOAMP_JSON, EFORMS, SDK_EXAMPLES, requires_data

pytestmark = [pytest.mark.django_db, requires_data]

EFORMS_FILE = EFORMS / "2024-OJS017-00047522.xml"
KEY = "a638ab6b-7005-48a9-a9c7-b91bfc6142f1"
TITLE = "Prestations de collecte des colonnes de verre"


def eforms_copy(path, version="01", title=None):
    """A copy of a real eForms notice with another version number and, optionally, another title."""
    text = EFORMS_FILE.read_text(encoding="utf-8").replace(
        "<cbc:VersionID>01</cbc:VersionID>", f"<cbc:VersionID>{version}</cbc:VersionID>"
    )
    if title:
        text = text.replace(f'<cbc:Name languageID="FRA">{TITLE}', f'<cbc:Name languageID="FRA">{title}', 1)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def summary_file(path, entries):
    path.write_text(json.dumps(entries), encoding="utf-8")
    return path


def counts(report):
    return report.summary()


def test_a_newer_eforms_version_replaces_the_older_one_in_either_order(tmp_path):
    v1 = eforms_copy(tmp_path / "v1.xml", "01", "Version un")
    v2 = eforms_copy(tmp_path / "v2.xml", "02", "Version deux")
    assert counts(import_notices([v1], "ted"))["created"] == 1
    assert counts(import_notices([v2], "ted"))["updated"] == 1
    notice = Notice.objects.get(source_id=KEY)
    assert (notice.version, notice.raw_file) == (2, "v2.xml") and notice.title.startswith("Version deux")

    older = counts(import_notices([v1], "ted"))
    assert (older["read"], older["unchanged"], older["created"] + older["updated"] + older["rejected"]) == (1, 1, 0)
    assert Notice.objects.get(source_id=KEY).title.startswith("Version deux")
    assert not RejectedNotice.objects.exists()


def test_another_copy_of_the_same_version_is_a_conflict_kept_as_rejected(tmp_path):
    original = eforms_copy(tmp_path / "a.xml", "01")
    other = eforms_copy(tmp_path / "b.xml", "01", "Objet modifié sans nouvelle version")
    for _ in range(2):  # the same state after each run
        report = counts(import_notices([original, other], "ted"))
        assert (report["unchanged"] + report["created"], report["rejected"]) == (1, 1)
        rejection = RejectedNotice.objects.get()
        assert rejection.reason_code == "version_conflict" and rejection.file == "b.xml"
        assert "a.xml#$" in rejection.reason and rejection.excerpt.startswith("<?xml")
        assert Notice.objects.get(source_id=KEY).raw_file == "a.xml"


def test_a_file_read_again_with_another_content_updates_its_notice(tmp_path):
    path = eforms_copy(tmp_path / "avis.xml", "01")
    import_notices([path], "ted")
    eforms_copy(path, "01", "Objet corrigé dans le même fichier")
    assert counts(import_notices([path], "ted"))["updated"] == 1
    assert Notice.objects.get(source_id=KEY).title.startswith("Objet corrigé")


def test_a_full_boamp_notice_replaces_its_summary_entry(tmp_path):
    summary = summary_file(tmp_path / "resume.json", {"20-152081": ["None", "Spectacles", "2021-03-01 12:00:00"]})
    import_notices([summary], "boamp")
    assert "summary_only" in Notice.objects.get(source_id="20-152081").flags
    assert counts(import_notices([BOAMP_JSON / "20-152081.json"], "boamp"))["updated"] == 1
    notice = Notice.objects.get(source_id="20-152081")
    assert notice.format == "boamp_json" and "summary_only" not in notice.flags
    assert counts(import_notices([summary], "boamp"))["unchanged"] == 1


def test_a_cancellation_imported_first_is_linked_when_its_notice_arrives(tmp_path):
    with tarfile.open(SDK_EXAMPLES) as archive:
        for name in ("cn_24_minimal.xml", "change-cn_24_void.xml"):
            member = archive.getmember(f"examples/notices/{name}")
            (tmp_path / name).write_bytes(archive.extractfile(member).read())
    import_notices([tmp_path / "change-cn_24_void.xml"], "ted")
    cancellation = Notice.objects.get()
    assert cancellation.related is None and cancellation.related_reference.endswith("-01")
    report = import_notices([tmp_path / "cn_24_minimal.xml"], "ted")
    assert report.links == 1
    cancelled = Notice.objects.get(source_id="f42be27e-09cf-4f0e-a745-63ec689631e6")
    assert Notice.objects.get(pk=cancellation.pk).related == cancelled
    assert not Notice.objects.open().filter(pk=cancelled.pk).exists()


def test_an_existing_organisation_becomes_buyer_and_keeps_its_name(tmp_path):
    organisation = OrganisationFactory(siret="20003441100013", name="CC du Piémont Cévenol", is_buyer=False)
    import_notices([eforms_copy(tmp_path / "a.xml")], "ted")
    organisation.refresh_from_db()
    assert organisation.is_buyer and organisation.is_supplier and organisation.name == "CC du Piémont Cévenol"
    assert Notice.objects.get().buyer == organisation


def test_a_broken_file_is_kept_with_its_text_then_forgotten_once_fixed(tmp_path):
    path = tmp_path / "avis.xml"
    text = EFORMS_FILE.read_text(encoding="utf-8")
    path.write_text(text[:3000], encoding="utf-8")
    report = counts(import_notices([tmp_path], "ted"))
    assert report == {"read": 1, "created": 0, "updated": 0, "unchanged": 0, "rejected": 1, "flagged": 0}
    rejection = RejectedNotice.objects.get()
    assert (rejection.file, rejection.reason_code) == ("avis.xml", "syntax_error")
    assert "XML mal formé" in rejection.reason and rejection.excerpt == text[:2000]
    path.write_text(text, encoding="utf-8")
    assert counts(import_notices([tmp_path], "ted"))["created"] == 1
    assert not RejectedNotice.objects.exists()


def test_a_notice_the_database_refuses_is_rejected_and_the_import_goes_on(tmp_path, monkeypatch):
    good = summary_file(tmp_path / "a.json", {"24-000001": ["ref", "Objet A", "2099-01-01 12:00:00"]})
    bad = eforms_copy(tmp_path / "b.xml")

    def refuse(objs, *args, **kwargs):
        if objs:
            raise DataError("value too long")
        return []

    monkeypatch.setattr(NoticeCpv.objects, "bulk_create", refuse)
    report = counts(import_notices([bad], "ted"))
    assert report["rejected"] == 1 and not Notice.objects.exists()  # nothing half-written
    rejection = RejectedNotice.objects.get()
    assert rejection.reason_code == "database_error" and "value too long" in rejection.reason
    assert counts(import_notices([good], "boamp"))["created"] == 1  # a notice without CPV code goes through


def test_missing_paths_are_a_french_command_error():
    with pytest.raises(CommandError, match="Fichier ou dossier introuvable : /nulle/part"):
        call_command("import_boamp", "/nulle/part", stdout=io.StringIO(), stderr=io.StringIO())


@pytest.mark.django_db(transaction=True)
def test_batches_are_committed_so_a_crash_loses_only_the_current_one(tmp_path, monkeypatch):
    entries = {f"24-00000{n}": ["ref", f"Objet {n}", "2099-01-01 12:00:00"] for n in range(1, 6)}
    path = summary_file(tmp_path / "resume.json", entries)
    real_reader = importer_module.read_notices

    def crashing_reader(file):
        for count, item in enumerate(real_reader(file), start=1):
            if count == 4:
                raise KeyboardInterrupt  # the operator stops the import while the 4th notice is read
            yield item

    monkeypatch.setattr(importer_module, "read_notices", crashing_reader)
    with pytest.raises(KeyboardInterrupt):
        import_notices([path], "boamp", batch_size=2)
    assert Notice.objects.count() == 2  # the first batch; the 3rd notice was in the batch rolled back
    monkeypatch.setattr(importer_module, "read_notices", real_reader)
    report = counts(import_notices([path], "boamp", batch_size=2))
    assert (report["created"], report["unchanged"]) == (3, 2)
