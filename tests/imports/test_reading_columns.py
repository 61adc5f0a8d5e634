"""Column specs and header mapping, including property tests of the folding."""

import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from imports.columns import DEFAULT_CHOICES, KINDS, ColumnType
from imports.headers import map_headers
from imports.reading.folding import fold

ALL_NAMES = sorted(
    {(kind.key, name, column.key) for kind in KINDS.values() for column in kind.columns
     for name in (column.key, column.label, *column.aliases)}
)


def test_no_header_name_means_two_columns_of_one_kind():
    for kind in KINDS.values():
        owners: dict[str, str] = {}
        for column in kind.columns:
            for name in column.folded_names():
                assert owners.setdefault(name, column.key) == column.key, (kind.key, name)


def test_every_choice_list_named_by_a_column_has_defaults():
    for kind in KINDS.values():
        for column in kind.columns:
            if column.type in (ColumnType.CHOICE, ColumnType.LIST, ColumnType.BOOL):
                assert column.choices in DEFAULT_CHOICES, column.key


def test_taxonomy_and_countries():
    codes = [code for code, _ in DEFAULT_CHOICES["category"]]
    assert len(codes) == 20 and "debt_bondage" in codes and "below_minimum_age" in codes
    assert ("CI", "Côte d'Ivoire") in DEFAULT_CHOICES["country"]


@pytest.mark.parametrize(
    ("kind", "header", "expected"),
    [
        ("supply_map", ["Référence du site", "Nom du site", "Pays", "Fournisseur", "Effectif"],
         ["site_ref", "site_name", "country", "supplier_name", "workers"]),
        ("supply_map", ["Referencia del sitio", "Nombre del sitio", "País", "Proveedor", "Materias primas"],
         ["site_ref", "site_name", "country", "supplier_name", "commodities"]),
        ("supply_map", ["Referência do local", "Nome do local", "País", "Fornecedor", "Número de trabalhadores"],
         ["site_ref", "site_name", "country", "supplier_name", "workers"]),
        ("findings", ["Référence de l'audit", "Réf site", "Date de l'audit", "Numéro de non-conformité", "Catégorie",
                      "Gravité"], ["audit_ref", "site_ref", "audit_start", "finding_ref", "category", "severity"]),
        ("grievances", ["Número de caso", "OS ID", "Categoría", "Descripción", "Niños involucrados"],
         ["grievance_ref", "os_id", "category", "description", "children_involved"]),
        ("grievances", ["Número do caso", "Canal", "Categoria", "Descrição", "Crianças envolvidas"],
         ["grievance_ref", "channel", "category", "description", "children_involved"]),
    ],
)
def test_foreign_language_headers(kind, header, expected):
    assert list(map_headers(header, kind).columns.values()) == expected


def test_unknown_missing_and_duplicate_columns_are_reported():
    mapping = map_headers(["Site ref", "Colour", "site_ref", "", "Country"], "supply_map")
    assert mapping.columns == {0: "site_ref", 4: "country"}
    assert mapping.unknown == [(1, "Colour")]
    assert mapping.duplicates == {"site_ref": [0, 2]}
    assert mapping.missing_required == ["site_name"]


def test_one_of_rule():
    assert map_headers(["audit_ref", "audit_start", "finding_ref", "category", "severity"], "findings").missing_one_of \
        == [("site_ref", "os_id")]
    assert map_headers(["audit_ref", "os_id"], "findings").missing_one_of == []


def test_user_mapping_overrides_and_ignores():
    mapping = map_headers(["Usine", "Country", "Notes internes"], "supply_map",
                          {"usine": "site_name", "Country": "supplier_country", "NOTES INTERNES": None})
    assert mapping.columns == {0: "site_name", 1: "supplier_country"}
    assert mapping.ignored == [(2, "Notes internes")]
    assert mapping.unknown == []


def test_user_mapping_to_an_unknown_column_is_a_programming_error():
    with pytest.raises(ValueError):
        map_headers(["a"], "supply_map", {"a": "no_such_column"})


def vary(text: str, data) -> str:
    """Change case, sprinkle spaces and punctuation, and add accents to letters."""
    out = []
    for character in text:
        if character.isalpha():
            character = character.upper() if data.draw(st.booleans()) else character.lower()
            if data.draw(st.booleans()):
                character += data.draw(st.sampled_from(["\u0301", "\u0300", "\u0308", "\u0327", "\u0303"]))
        out.append(character)
        out.append(data.draw(st.sampled_from(["", "", " ", "_", "-", ".", "'", "/", "  ", "\u00a0"])))
    varied = "".join(out)
    return unicodedata.normalize(data.draw(st.sampled_from(["NFC", "NFD"])), varied)


@given(st.sampled_from(ALL_NAMES), st.data())
def test_any_spelling_of_an_alias_maps_to_its_column(entry, data):
    kind, name, key = entry
    assert map_headers([vary(name, data)], kind).columns == {0: key}


@given(st.text())
def test_fold_is_idempotent(text):
    assert fold(fold(text)) == fold(text)


@given(st.text())
def test_fold_keeps_only_lowercase_letters_and_digits(text):
    assert all(character.isalnum() and not character.isupper() for character in fold(text))
