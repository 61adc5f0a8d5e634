"""Damaged workbooks: whatever is done to a sheet's XML, reading it gives rows or a FileRejected, never a crash.

Each example inserts cell fragments that readers trip on (bad references, error and date cells, huge or negative
shared-string indexes, character references to forbidden characters), deletes spans or overwrites characters of
a valid sheet, may make its XML declaration name another encoding, then reads the whole file. Found so far: an XML declaration naming an unknown encoding raised
LookupError from the archive checks.
"""

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from imports.reading import FileRejected, read_table
from support import bad_files as parts

ROWS = [parts.HEADER] + [[f"S-{i}", f"Name {i} & co", "FR" if i % 2 else 3.5] for i in range(20)]
SHEET = parts.sheet_xml(ROWS).replace("<sheetData>", '<dimension ref="A1:C21"/><sheetData>')
SHARED_STRINGS = (f'<sst xmlns="{parts.SPREADSHEET_NS}" count="2" uniqueCount="2"><si><t>zero</t></si>'
                  "<si><r><t>a</t></r><r><t>b</t></r></si></sst>")
FRAGMENTS = ['<c r="B2" t="s"><v>1</v></c>', '<c r="A3" t="e"><v>#N/A</v></c>', '<row r="0">', '<c r="A0">', "</row>",
             "<row>", '<c t="d"><v>2024-13-45</v></c>', '<c t="n"><v>1e999</v></c>', '<c t="b"><v>7</v></c>',
             '<c t="s"><v>-1</v></c>', '<c t="s"><v>99999999999</v></c>', '<c r="ZZZZ1">', '<c r="A99999999999">',
             "&#0;", "&#xFFFF;", "<is><t>", "<f>A1</f>", "<!DOCTYPE x>"]
EDIT = st.tuples(st.floats(0, 1, exclude_max=True), st.sampled_from(["insert", "delete", "overwrite"]),
                 st.sampled_from(FRAGMENTS), st.integers(1, 20), st.characters(min_codepoint=32, max_codepoint=126))


ENCODING = st.text("abcdefghijklmnopqrstuvwxyzUTF0123456789-_", max_size=12)


def mutated(edits, encoding: str | None) -> str:
    """The sheet with `edits` applied, and the encoding its XML declaration names replaced by `encoding`."""
    xml = SHEET if encoding is None else SHEET.replace('encoding="UTF-8"', f'encoding="{encoding}"', 1)
    for where, action, fragment, length, character in edits:
        position = int(where * len(xml))
        if action == "insert":
            xml = xml[:position] + fragment + xml[position:]
        elif action == "delete":
            xml = xml[:position] + xml[position + length:]
        else:
            xml = xml[:position] + character + xml[position + 1:]
    return xml


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(edits=st.lists(EDIT, max_size=6), encoding=st.none() | ENCODING, with_shared_strings=st.booleans())
def test_a_mutated_sheet_is_read_or_refused(tmp_path, edits, encoding, with_shared_strings):
    files = parts.workbook_parts(mutated(edits, encoding))
    if with_shared_strings:
        files["xl/sharedStrings.xml"] = SHARED_STRINGS
    path = tmp_path / "mutated.xlsx"
    parts.zip_bytes(files, path)
    try:
        rows = list(read_table(str(path), "mutated.xlsx").rows())
    except FileRejected as rejected:
        assert "mutated.xlsx" in rejected.message  # every refusal names the file
        return
    assert all(number >= 2 for number, _values in rows)  # data rows come after a header row
