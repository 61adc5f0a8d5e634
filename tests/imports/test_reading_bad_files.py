"""The hostile and awkward corpus: every file is refused with its own code, or read as plain text."""

import json
import zipfile
from pathlib import Path

import pytest

from imports.reading import FileRejected, read_table
from support import bad_files

BAD = Path(__file__).parents[1] / "fixtures" / "bad"
MANIFEST = json.loads((BAD / "MANIFEST.json").read_text())


@pytest.mark.parametrize("name", sorted(name for name, code in MANIFEST.items() if code != "ok"))
def test_bad_file_is_rejected_with_its_code(name):
    with pytest.raises(FileRejected) as rejected:
        list(read_table(str(BAD / name), name).rows())  # some problems show only while the rows are read
    assert rejected.value.code == MANIFEST[name]
    assert name in rejected.value.message


@pytest.mark.parametrize("name", sorted(name for name, code in MANIFEST.items() if code == "ok"))
def test_accepted_file_reads_every_row(name):
    table = read_table(str(BAD / name), name)
    assert len(list(table.rows())) >= 3


@pytest.mark.parametrize("name", ["formula_injection.csv", "formula_injection.xlsx"])
def test_formula_like_text_reads_back_as_the_same_text(name):
    table = read_table(str(BAD / name), name)
    names = [values[1] for _, values in table.rows()]
    assert names[0].startswith("=HYPERLINK(")
    assert names[1] == "+cmd|' /C calc'!A0"
    assert names[2] == "-2+3"
    assert names[3].startswith("@SUM(")


def test_formula_cell_gives_its_cached_value_not_its_formula():
    rows = dict(read_table(str(BAD / "formula_injection.xlsx"), "formula_injection.xlsx").rows())
    assert rows[5][2] == "FR"


def test_wrong_types_are_left_for_the_validator():
    table = read_table(str(BAD / "wrong_types_findings.csv"), "wrong_types_findings.csv")
    first = next(table.rows())[1]
    assert first[table.header.index("audit_start")] == "not a date"


@pytest.mark.parametrize(
    ("name", "words"),
    [
        ("encrypted.xlsx", "password-protected/encrypted"),
        ("mixed_encoding.csv", "line 4"),
        ("far_cell.xlsx", "column XFD"),
        ("too_many_columns.csv", "10,000 columns"),
        ("image.csv", "PNG image"),
        ("header_only.xlsx", 'Sheet "Sites"'),
        ("zip_bomb.xlsx", "zip bomb"),
        ("entity_bomb.xlsx", "DTD"),
    ],
)
def test_message_names_the_problem(name, words):
    with pytest.raises(FileRejected) as rejected:
        read_table(str(BAD / name), name)
    assert words in rejected.value.message


def test_corpus_is_small_and_large_enough():
    files = [path for path in BAD.iterdir() if path.name != "MANIFEST.json"]
    assert len(files) >= 18
    assert all(path.stat().st_size <= 200_000 for path in files)
    assert sum(path.stat().st_size for path in files) <= 2_000_000
    assert {path.name for path in files} == set(MANIFEST)


def _content(path: Path):
    """Bytes, or for a zip its entries, so that a different zlib build does not count as a change."""
    if zipfile.is_zipfile(path):
        try:
            with zipfile.ZipFile(path) as archive:
                return [(info.filename, info.file_size, info.CRC) for info in archive.infolist()]
        except zipfile.BadZipFile:
            pass
    return path.read_bytes()


def test_generator_reproduces_the_committed_corpus(tmp_path):
    manifest = bad_files.build(tmp_path)
    assert manifest == MANIFEST
    for name in manifest:
        if name != "truncated.xlsx":  # a cut zip's bytes depend on the zlib build
            assert _content(tmp_path / name) == _content(BAD / name), name
