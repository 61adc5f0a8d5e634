"""The bulk writer: rows go in column by column, their IDs are known before the server has stored them, a row the
server refuses fails the write instead of being lost silently, and every batch is reported to the callback."""

import datetime

import psycopg
import pytest
from django.db import DatabaseError, IntegrityError, connection, transaction

from audits.models import StateChange, Subject
from backend.db.copy_text import Same
from backend.db.writer import Writer

# serialized_rollback: its flush afterwards must not recreate the content types that later serialized tests restore
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

AT = datetime.datetime(2026, 5, 6, 7, 8, 9, tzinfo=datetime.timezone.utc)


def history_columns(states: list) -> dict:
    return {"subject": Same(Subject.FINDING), "object_id": list(range(1, len(states) + 1)), "from_state": Same(""),
            "to_state": states, "actor_kind": Same(""), "at": Same(AT)}


def test_the_ids_given_to_the_body_are_the_rows_stored_in_order():
    states = [f"state-{n}" for n in range(25_000)]  # several blocks of COPY text
    with transaction.atomic():
        with Writer().copying(StateChange, history_columns(states)) as ids:
            seen_in_body = list(ids)
        stored = list(StateChange.objects.order_by("id").values_list("id", "to_state"))
    assert seen_in_body == [pk for pk, _state in stored]
    assert [state for _pk, state in stored] == states
    assert len(set(seen_in_body)) == len(states)


def test_a_row_the_server_refuses_fails_the_write_and_nothing_is_kept():
    states = ["recorded"] * 15_000 + [None] + ["recorded"] * 10  # to_state is NOT NULL
    with pytest.raises((IntegrityError, DatabaseError, psycopg.IntegrityError)), transaction.atomic():
        with Writer().copying(StateChange, history_columns(states)):
            pass
    assert not StateChange.objects.exists()


def test_an_error_in_the_body_leaves_nothing_written():
    with pytest.raises(ZeroDivisionError), transaction.atomic():
        with Writer().copying(StateChange, history_columns(["recorded"] * 100)):
            1 / 0  # noqa: B018  (the body fails while the server may still be storing rows)
    assert not StateChange.objects.exists()


def test_rows_formatted_inside_the_block_are_written_by_send_after_it():
    writer = Writer()
    with transaction.atomic():
        with writer.copying(StateChange, history_columns(["first"] * 3)) as first_ids:
            later = writer.formatted(StateChange, history_columns([f"later-{n}" for n in range(12_000)]))
        writer.send(later)
        states = list(StateChange.objects.order_by("id").values_list("to_state", flat=True))
    assert states == ["first"] * 3 + [f"later-{n}" for n in range(12_000)]
    assert writer.written == 12_003
    assert len(first_ids) == 3


def test_a_query_from_the_block_fails_at_once_instead_of_waiting_for_the_copy():
    if connection.vendor != "postgresql":
        pytest.skip("only a COPY holds the connection")
    with pytest.raises(RuntimeError, match="while a COPY holds the connection"), transaction.atomic():
        with Writer().copying(StateChange, history_columns(["recorded"] * 10)):
            StateChange.objects.count()
    assert not StateChange.objects.exists()


def test_a_query_from_the_batch_callback_fails_at_once_instead_of_waiting_for_the_copy():
    # a job's progress goes to its row when no transaction is open, which must not happen during a COPY
    if connection.vendor != "postgresql":
        pytest.skip("only a COPY holds the connection")

    def progress_to_the_row(count):
        StateChange.objects.exists()

    with pytest.raises(RuntimeError, match="while a COPY holds the connection"):
        Writer(on_batch=progress_to_the_row).copy(StateChange, history_columns(["recorded"] * 10))


def test_every_row_written_is_reported_to_the_callback_batch_by_batch():
    reported = []
    writer = Writer(on_batch=reported.append)
    with transaction.atomic():
        writer.copy(StateChange, history_columns(["recorded"] * 25_000))
        writer.send(writer.formatted(StateChange, history_columns(["later"] * 3)))
        writer.create(StateChange, [StateChange(subject=Subject.FINDING, object_id=n, to_state="made", at=AT)
                                    for n in range(2_500)])
    assert sum(reported) == writer.written == 27_503 == StateChange.objects.count()
    assert max(reported) <= 10_000  # batches, not one report at the end


def test_nothing_to_write_writes_nothing_and_reports_nothing():
    reported = []
    writer = Writer(on_batch=reported.append)
    assert writer.copy(StateChange, history_columns([])) == []
    writer.send(writer.formatted(StateChange, history_columns([])))
    assert reported == [] and not StateChange.objects.exists()
