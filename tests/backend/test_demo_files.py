"""The demo's supply-map files: committed in backend/demo/data/, and exactly what the generator writes."""

import csv

from openpyxl import load_workbook

from backend.demo.files import DEMO_DIR, DEMO_FILES, HEADER, write_demo_files
from backend.demo.network import build_demo_network


def cells(path) -> list[list]:
    """The cell values of a supply map: typed for a workbook, text for a CSV file."""
    if path.suffix == ".xlsx":
        workbook = load_workbook(path, read_only=True)
        return [list(row) for row in workbook.worksheets[0].iter_rows(values_only=True)]
    with path.open(encoding="utf-8", newline="") as stream:
        return list(csv.reader(stream))


def test_the_committed_demo_files_are_what_the_generator_writes(tmp_path):
    # when the generator writes the files afresh
    written = write_demo_files(tmp_path)
    # then they hold the same cells as the committed ones: one header and one row per link of each company
    net = build_demo_network()
    assert [path.name for path in written] == list(DEMO_FILES.values())
    for company, path in zip(DEMO_FILES, written):
        committed = cells(DEMO_DIR / path.name)
        assert committed == cells(path), f"{path.name} is out of date: run python manage.py seed_demo --write-files"
        assert committed[0] == HEADER and len(committed) == 1 + len(net.links[company])


def test_each_demo_farm_is_in_one_network_only_and_every_shared_site_has_an_os_id():
    net = build_demo_network()
    northwind, harbor = ({link.upstream for link in net.links[company]} for company in ("northwind", "harbor"))
    shared = northwind & harbor
    assert len(shared) >= 4
    assert all(net.sites[ref].kind == "facility" and net.sites[ref].os_id for ref in shared)
