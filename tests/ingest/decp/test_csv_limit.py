import csv
import io

from tremplin.ingest.decp.parse_csv import MAX_FIELD_SIZE, parse_csv


def test_long_fields_are_read_without_changing_the_process_wide_csv_limit():
    before = csv.field_size_limit()
    assert before < MAX_FIELD_SIZE  # the standard default, 131072
    long_object = "x" * (before + 10)
    data = f"uid,objet\n123,{long_object}\n".encode()
    records = list(parse_csv(io.BytesIO(data)))
    assert records[0].payload["objet"] == long_object
    assert csv.field_size_limit() == before
