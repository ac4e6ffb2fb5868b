"""What the line-by-line file imports share (tremplin.core.imports)."""

from tremplin.core.imports import ImportBatch, ImportLine, decode_text, guess_delimiter, header_name


def test_decoding_headers_and_delimiters():
    assert decode_text("\ufeffMontant TTC;Payée le".encode()) == "Montant TTC;Payée le"
    assert decode_text("Payée le".encode("cp1252")) == "Payée le"  # a spreadsheet saved by Windows
    assert header_name(" Montant TTC ") == "montant_ttc" and header_name("Payée le") == "payee_le"
    assert [guess_delimiter(line) for line in ("a;b;c", "a,b,c", "a\tb", "a;b,c;d")] == [";", ",", "\t", ";"]


def test_lines_and_batches_keep_their_errors():
    good, bad = ImportLine(2, {"a": "1"}), ImportLine(3, {"a": ""})
    bad.error("a", "obligatoire.")
    bad.error("", "Ligne en double.")
    assert good.ok and not bad.ok and bad.errors == ["a : obligatoire.", "Ligne en double."]
    batch = ImportBatch(lines=[good, bad])
    assert batch.valid == [good] and batch.invalid == [bad] and batch.file_errors == []
