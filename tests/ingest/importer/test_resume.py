"""An import stopped half-way and run again ends with exactly the rows a clean run gives."""

import io
import json
import tarfile
from io import StringIO

import pytest
from django.core.management import call_command

from tremplin.contracts.models import Contract, Source, SourceFile
from tremplin.ingest.decp_import.writer import ImportInterrupted
from tremplin.ingest.management.commands import import_decp as command
from tremplin.organisations.models import Organisation

from .conftest import HOLDER_A, HOLDER_B, database_state, market, modification, run_import, write_json

pytestmark = pytest.mark.django_db


def records(count: int, offset: int = 0) -> list[dict]:
    """Distinct contracts, copies with one more modification, lots sharing an id and one rejected record."""
    items = []
    for n in range(offset, offset + count):
        items.append(market(f"R-{n}", holders=(HOLDER_A if n % 2 else HOLDER_B,), amount=1000 + n))
        if n % 7 == 0:
            items.append(market(f"R-{n}", holders=(HOLDER_B,), amount=5000 + n))  # a lot under the same id
        if n % 5 == 0:
            copy = market(f"R-{n}", holders=(HOLDER_A if n % 2 else HOLDER_B,), amount=1000 + n)
            copy["modifications"] = [modification("2025-01-15", amount=2000 + n)]
            items.append(copy)
    items.append({"objet": "sans identifiant", "acheteur": {"id": "21590163800019"}})
    return items


def archive(path, members: dict[str, list[dict]]):
    with tarfile.open(path, "w:gz") as tar:
        for name, items in members.items():
            data = json.dumps({"marches": items}).encode()
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    return path


@pytest.fixture
def inputs(tmp_path):
    plain = write_json(tmp_path / "plain.json", records(40))
    packed = archive(tmp_path / "packed.tar.gz", {f"part-{i}.json": records(15, offset=100 * i) for i in range(3)})
    return [plain, packed]


def wipe():
    Contract.objects.all().delete()
    Source.objects.all().delete()
    Organisation.objects.all().delete()


@pytest.mark.parametrize("stop_after", [1, 3, 6, 9])
def test_stopped_then_resumed_equals_a_clean_run(inputs, stop_after):
    clean = run_import(*inputs, batch_size=7).summary()
    expected = database_state()
    wipe()

    with pytest.raises(ImportInterrupted):
        run_import(*inputs, batch_size=7, stop_after_batches=stop_after)
    assert SourceFile.objects.exclude(status=SourceFile.Status.DONE).exists()  # left as a killed run leaves it
    resumed = run_import(*inputs, batch_size=7)

    assert database_state() == expected
    assert resumed.summary() == clean  # counts of the files done before the stop are kept, not recounted
    outcomes = {report.outcome for report in resumed.files}
    assert "resumed" in outcomes


def test_stopped_twice_with_the_reader_in_a_child_process(inputs):
    run_import(*inputs, batch_size=5)
    expected = database_state()
    wipe()
    for stop in (2, 4):
        with pytest.raises(ImportInterrupted):
            run_import(*inputs, batch_size=5, stop_after_batches=stop, workers=1)
    run_import(*inputs, batch_size=5, workers=1)
    assert database_state() == expected


def test_a_finished_import_run_again_reads_everything_again(inputs):
    first = run_import(*inputs, batch_size=7).summary()
    state = database_state()
    again = run_import(*inputs, batch_size=7)
    summary = again.summary()
    assert summary["created"] == summary["updated"] == 0
    assert summary["duplicates"] == first["created"] + first["updated"] + first["duplicates"]
    assert {report.outcome for report in again.files} == {"imported"}
    assert database_state()["contracts"] == state["contracts"]

    skipped = run_import(*inputs, skip_imported=True)
    assert {report.outcome for report in skipped.files} == {"skipped"}


def test_kill_hook_of_the_command(inputs, monkeypatch):
    def killed(status):
        raise SystemExit(status)

    monkeypatch.setenv(command.KILL_ENV, "2")
    monkeypatch.setattr(command.os, "_exit", killed)
    with pytest.raises(SystemExit) as exit_info:
        call_command("import_decp", *map(str, inputs), "--batch-size", "5", "--no-snapshot", stdout=StringIO())
    assert exit_info.value.code == 137
    assert SourceFile.objects.filter(status=SourceFile.Status.RUNNING).count() == 1
    monkeypatch.delenv(command.KILL_ENV)

    out = StringIO()
    call_command("import_decp", *map(str, inputs), "--batch-size", "5", "--no-snapshot", "--json", stdout=out)
    assert "(reprise)" in out.getvalue()
    assert not SourceFile.objects.exclude(status=SourceFile.Status.DONE).exists()
