"""`tremplin import_boamp` and `tremplin import_ted` on every real sample of the shared data folder: counts, the
JSON summary line, idempotence, versions, links between notices, organisations, rejections kept with their raw
text."""

import io
import json
from collections import Counter

import pytest
from django.core.management import call_command

from tremplin.notices.models import Notice, NoticeAward, NoticeCpv, NoticeWinner, RejectedNotice
from tremplin.organisations.models import Organisation

from .conftest import BOAMP_DIR, TED_DIR, requires_data

pytestmark = [pytest.mark.django_db, requires_data]


def run(command, *paths) -> tuple[dict, str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command(command, *map(str, paths), "--json", stdout=out, stderr=err)
    lines = out.getvalue().strip().splitlines()
    return json.loads(lines[-1]), out.getvalue(), err.getvalue()


def test_boamp_samples_import_once_and_only_once():
    summary, out, err = run("import_boamp", BOAMP_DIR)
    # 19 XML notices + 1 full JSON notice + 34 summary entries; entry 20-152081 of the summary is the JSON
    # notice already stored: a summary never replaces a full notice.
    assert summary == {"read": 54, "created": 53, "updated": 0, "unchanged": 1, "rejected": 0, "flagged": 49}
    assert "54 avis lus dans 21 fichier(s), 53 créés" in out
    assert "avis lus" in err  # progress goes to stderr
    notices = Notice.objects.filter(source="boamp")
    assert Counter(notices.values_list("kind", flat=True)) == {"competition": 42, "award": 11}
    full = notices.get(source_id="20-152081")
    assert full.format == "boamp_json" and "summary_only" not in full.flags
    assert full.deadline_at.isoformat() == "2021-03-01T11:00:00+00:00"  # 12:00 in Paris
    assert sum("summary_only" in flags for flags in notices.values_list("flags", flat=True)) == 33

    stamps = dict(Notice.objects.values_list("pk", "updated_at"))
    again, _, _ = run("import_boamp", BOAMP_DIR)
    assert again == {"read": 54, "created": 0, "updated": 0, "unchanged": 54, "rejected": 0, "flagged": 49}
    assert dict(Notice.objects.values_list("pk", "updated_at")) == stamps  # not even rewritten


def test_boamp_award_details_and_links():
    run("import_boamp", BOAMP_DIR)
    award = Notice.objects.get(source_id="17-2599")
    assert award.kind == "award" and award.lots.count() == 21
    assert award.awards.count() == 21 and NoticeWinner.objects.filter(award__notice=award).exists()
    assert all(a.lot is not None for a in award.awards.all())  # each decision linked to its lot
    # The award notice 17-4742 follows the call for competition 16-652, imported from another file.
    assert Notice.objects.get(source_id="17-4742").related == Notice.objects.get(source_id="16-652")
    buyer = Organisation.objects.get(siret="21330097300129")
    assert buyer.is_buyer and Notice.objects.get(source_id="17-40964").buyer == buyer


def test_ted_samples_versions_links_rejections_and_idempotence():
    summary, out, _ = run("import_ted", TED_DIR)
    # 24 eForms + 78 TED R2.0.9 + 92 SDK examples. 12 SDK examples are rejected (10 INVALID_* without id, 2
    # company registrations); pin-buyer_24_published.xml is version 02 of pin-buyer_24.xml (updated); the
    # mapping authors' copy 2024-OJS072-00215550-modif.xml reads the same as the original (unchanged).
    assert summary == {"read": 194, "created": 180, "updated": 1, "unchanged": 1, "rejected": 12, "flagged": 134}
    assert "rejet : 10 × Identifiant de l'avis absent" in out

    newer = Notice.objects.get(source_id="e5dc3c2b-3df5-45e0-af7f-399ca201d7e0")
    assert newer.version == 2 and newer.publication_number == "12345678-2025"
    assert newer.raw_file.endswith("pin-buyer_24_published.xml")

    rejected = RejectedNotice.objects.all()
    assert Counter(rejected.values_list("reason_code", flat=True)) == {"missing_id": 10, "not_procurement": 2}
    assert all(r.source == "ted" and r.excerpt.lstrip().startswith("<") for r in rejected)
    assert all(r.file.startswith("eforms-sdk-1.15_example_notices.tar.gz:examples/notices/") for r in rejected)

    cancelled = Notice.objects.get(source_id="f42be27e-09cf-4f0e-a745-63ec689631e6")
    cancellation = Notice.objects.get(source_id="1d192942-a4a3-4833-8775-ca38f7ec09ca")
    assert cancellation.kind == "cancellation" and cancellation.related == cancelled
    assert cancelled.is_cancelled
    assert Notice.objects.exclude(related=None).count() == 4

    french = Notice.objects.get(source_id="a638ab6b-7005-48a9-a9c7-b91bfc6142f1")
    assert french.buyer.siret == "20003441100013" and french.buyer.is_buyer
    assert french.buyer.name == french.buyer_name
    codes = set(NoticeCpv.objects.filter(notice=french).values_list("code", flat=True))
    assert {french.cpv, *french.additional_cpv} <= codes
    assert Notice.objects.with_cpv_prefixes(["905111"]).filter(pk=french.pk).exists()

    winners = Organisation.objects.filter(notice_awards__isnull=False).distinct()
    assert winners and all(o.is_supplier for o in winners)
    assert NoticeAward.objects.filter(awarded=False).exists()  # unsuccessful lots are kept

    stamps = dict(Notice.objects.values_list("pk", "updated_at"))
    again, _, _ = run("import_ted", TED_DIR)
    # The older version 01 is read again but changes nothing; rejections are not duplicated.
    assert again == {"read": 194, "created": 0, "updated": 0, "unchanged": 182, "rejected": 12, "flagged": 134}
    assert dict(Notice.objects.values_list("pk", "updated_at")) == stamps and RejectedNotice.objects.count() == 12
    assert Notice.objects.get(pk=newer.pk).version == 2


def test_each_command_refuses_the_other_source_and_forgets_it_once_imported():
    summary, out, _ = run("import_ted", BOAMP_DIR / "xml_boamp_v230_2017" / "test-pub.xml")
    assert summary == {"read": 1, "created": 0, "updated": 0, "unchanged": 0, "rejected": 1, "flagged": 0}
    rejection = RejectedNotice.objects.get()
    assert rejection.reason_code == "wrong_source" and "tremplin import_boamp" in rejection.reason
    run("import_boamp", BOAMP_DIR / "xml_boamp_v230_2017" / "test-pub.xml")
    assert not RejectedNotice.objects.exists()
    assert Notice.objects.filter(source="boamp").count() == 1
