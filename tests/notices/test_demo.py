"""`import_demo_notices(data_dir)`: imports the BOAMP and TED folders of a data directory, idempotently."""

import pytest

from tremplin.notices.demo import import_demo_notices
from tremplin.notices.models import Notice

from .conftest import BOAMP_XML, EFORMS, copy_to, requires_data

pytestmark = [pytest.mark.django_db, requires_data]


def test_demo_import_is_idempotent_and_skips_missing_folders(tmp_path):
    copy_to(tmp_path / "boamp" / "xml", BOAMP_XML / "test-pub.xml", BOAMP_XML / "test-attribution-12.xml")
    copy_to(tmp_path / "ted", EFORMS / "2024-OJS017-00047522.xml")
    first = import_demo_notices(tmp_path)
    assert {source: report.created for source, report in first.items()} == {"boamp": 2, "ted": 1}
    second = import_demo_notices(str(tmp_path))
    assert {source: (report.created, report.updated, report.unchanged) for source, report in second.items()} == {
        "boamp": (0, 0, 2),
        "ted": (0, 0, 1),
    }
    assert Notice.objects.count() == 3
    assert import_demo_notices(tmp_path / "absent") == {}
