"""backend/global_ids.py reads every ID the GraphQL layer writes, and nothing else."""

import pytest
from graphql_relay import to_global_id

from backend.global_ids import GlobalId, decode_global_id


@pytest.mark.parametrize("type_name, pk", [("Site", 42), ("Finding", 1), ("AuditFirm", 1234567890123)])
def test_an_id_written_by_graphql_relay_is_read_back(type_name, pk):
    assert decode_global_id(to_global_id(type_name, pk)) == GlobalId(type_name, pk)


@pytest.mark.parametrize("text", ["", "FARM", "not base64!", "U2l0ZQ==", to_global_id("Site", "x1"),
                                  to_global_id("Site", "١٢"), "é", "U2l0ZTo0Mg"])
def test_anything_else_is_none(text):
    # "U2l0ZQ==" is "Site" (no pk); "١٢" is made of digits Python's isdigit accepts but no ID has;
    # "U2l0ZTo0Mg" lacks its padding
    assert decode_global_id(text) is None
