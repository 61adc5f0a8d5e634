"""CSV, TSV and text uploads: encodings, delimiters, quoting, row numbers and limits."""

import codecs

import pytest

from imports.reading import FileRejected, Limits, read_table


def write(tmp_path, name: str, content: bytes | str, encoding: str = "utf-8") -> str:
    path = tmp_path / name
    path.write_bytes(content if isinstance(content, bytes) else content.encode(encoding))
    return str(path)


def read_all(path: str, name: str, **options):
    table = read_table(path, name, **options)
    return table, list(table.rows())


def test_utf8_with_byte_order_mark(tmp_path):
    path = write(tmp_path, "a.csv", codecs.BOM_UTF8 + "Site reference,Site name\nS-1,Usine Bélier\n".encode())
    table, rows = read_all(path, "a.csv")
    assert table.header == ["Site reference", "Site name"]
    assert rows == [(2, ["S-1", "Usine Bélier"])]


def test_windows_1252_with_accents(tmp_path):
    path = write(tmp_path, "a.csv", "Référence,Nom\nS-1,Café – Côte d’Ivoire\n", "cp1252")
    table, rows = read_all(path, "a.csv")
    assert table.header == ["Référence", "Nom"]
    assert rows[0][1] == ["S-1", "Café – Côte d’Ivoire"]


def test_utf16_with_byte_order_mark_as_excel_unicode_text(tmp_path):
    path = write(tmp_path, "a.txt", "Site\tPays\nS-1\tCôte d'Ivoire\n", "utf-16")
    _, rows = read_all(path, "a.txt")
    assert rows == [(2, ["S-1", "Côte d'Ivoire"])]


@pytest.mark.parametrize("delimiter", [",", ";", "\t"])
def test_delimiter_is_detected(tmp_path, delimiter):
    lines = ["site_ref", "site_name", "workers"], ["S-1", "Mill, north", "12,5"], ["S-2", "Farm", "3"]
    text = "".join(delimiter.join(f'"{v}"' if delimiter in v else v for v in line) + "\n" for line in lines)
    table, rows = read_all(write(tmp_path, "a.csv", text), "a.csv")
    assert table.header == ["site_ref", "site_name", "workers"]
    assert rows[0][1] == ["S-1", "Mill, north", "12,5"]


def test_single_column_file(tmp_path):
    _, rows = read_all(write(tmp_path, "a.csv", "site_ref\nS-1\nS-2\n"), "a.csv")
    assert rows == [(2, ["S-1"]), (3, ["S-2"])]


def test_tsv_extension_means_tab(tmp_path):
    _, rows = read_all(write(tmp_path, "a.tsv", "a\tb;c\n1\t2;3\n"), "a.tsv")
    assert rows == [(2, ["1", "2;3"])]


def test_quoted_line_breaks_stay_in_one_cell_and_row_numbers_count_records(tmp_path):
    text = 'site_ref,description\nS-1,"first line\nsecond line"\n\nS-2,plain\n'
    _, rows = read_all(write(tmp_path, "a.csv", text), "a.csv")
    assert rows == [(2, ["S-1", "first line\nsecond line"]), (4, ["S-2", "plain"])]


def test_values_are_stripped_and_empty_cells_are_none(tmp_path):
    text = "a,b,c,d\n  x  ,, \u00a0 ,\nshort\n"
    _, rows = read_all(write(tmp_path, "a.csv", text), "a.csv")
    assert rows == [(2, ["x", None, None, None]), (3, ["short", None, None, None])]


def test_values_beyond_the_header_are_kept(tmp_path):
    _, rows = read_all(write(tmp_path, "a.csv", "a,b\n1,2,3\n"), "a.csv")
    assert rows == [(2, ["1", "2", "3"])]


def test_header_is_the_first_non_empty_row(tmp_path):
    table, rows = read_all(write(tmp_path, "a.csv", "\n,,\nsite_ref,name\nS-1,Mill\n"), "a.csv")
    assert (table.header_row, table.header) == (3, ["site_ref", "name"])
    assert rows == [(4, ["S-1", "Mill"])]


def test_rows_can_be_read_twice(tmp_path):
    table = read_table(write(tmp_path, "a.csv", "a\n1\n2\n"), "a.csv")
    assert list(table.rows()) == list(table.rows())


def test_trailing_empty_rows_produce_nothing(tmp_path):
    _, rows = read_all(write(tmp_path, "a.csv", "a,b\n1,2\n" + ",\n" * 100_000), "a.csv")
    assert rows == [(2, ["1", "2"])]


def test_sheet_name_is_the_file_name(tmp_path):
    table = read_table(write(tmp_path, "sites.csv", "a\n1\n"), "uploads/sites.csv")
    assert table.sheet_name == "sites.csv"


def test_size_limit(tmp_path):
    with pytest.raises(FileRejected) as rejected:
        read_table(write(tmp_path, "a.csv", "a\n" + "1\n" * 100), "a.csv", limits=Limits(max_bytes=50))
    assert rejected.value.code == "too_large"


def test_row_limit_is_raised_while_reading(tmp_path):
    table = read_table(write(tmp_path, "a.csv", "a\n1\n2\n3\n"), "a.csv", limits=Limits(max_rows=2))
    with pytest.raises(FileRejected) as rejected:
        list(table.rows())
    assert rejected.value.code == "too_many_rows"
    assert "2 data rows" in rejected.value.message


def test_column_limit_names_the_row(tmp_path):
    table = read_table(write(tmp_path, "a.csv", "a,b\n1,2\n1,2,3,4\n"), "a.csv", limits=Limits(max_columns=3))
    with pytest.raises(FileRejected) as rejected:
        list(table.rows())
    assert rejected.value.code == "too_many_columns"
    assert "row 3" in rejected.value.message


def test_mixed_encoding_names_the_line(tmp_path):
    content = b"a,b\n" + "x,é\n".encode() * 5 + "y,é\n".encode("cp1252")
    with pytest.raises(FileRejected) as rejected:
        read_table(write(tmp_path, "a.csv", content), "a.csv")
    assert rejected.value.code == "bad_encoding"
    assert "line 7" in rejected.value.message


def test_unknown_extension_for_text_is_refused(tmp_path):
    with pytest.raises(FileRejected) as rejected:
        read_table(write(tmp_path, "a.pdf", "a,b\n1,2\n"), "a.pdf")
    assert rejected.value.code == "extension_mismatch"
