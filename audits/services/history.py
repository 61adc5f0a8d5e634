"""Recording and applying state changes: every transition is checked against a table and logged.

`record` logs one change; `history_rows` the changes of many objects at once, as `record` would log each (set-based
operations write them with the bulk writer)."""

from collections.abc import Sequence
from typing import NamedTuple

from django.utils import timezone

from audits.models import StateChange
from backend.db.copy_text import Same
from backend.db.writer import Formatted, Writer
from backend.errors import field_error


def record(subject: str, obj, from_state: str, to_state: str, viewer) -> StateChange:
    """Log one state change of `obj` by the viewer (None: the system)."""
    return StateChange.objects.create(
        subject=subject, object_id=obj.pk, from_state=from_state or "", to_state=to_state,
        actor=viewer.user if viewer else None, actor_organization=viewer.organization if viewer else None,
        actor_kind=viewer.organization.kind if viewer else "system", at=timezone.now(),
    )


def change_state(obj, field: str, to_state: str, transitions: dict, subject: str, viewer, **also) -> None:
    """Move `obj.<field>` to `to_state` if the table allows it from the current state, and log it.

    The update is a compare-and-set on the current state, so two concurrent requests cannot both succeed:
    the second finds the state changed under it and gets ILLEGAL_TRANSITION like any other illegal move.
    """
    current = getattr(obj, field)
    if to_state not in transitions.get(current, ()):
        raise illegal(subject, current, to_state)
    updated = type(obj).objects.filter(pk=obj.pk, **{field: current}).update(
        **{field: to_state, "updated_at": timezone.now(), **also}
    )
    if not updated:
        raise illegal(subject, current, to_state)
    setattr(obj, field, to_state)
    for key, value in also.items():
        setattr(obj, key, value)
    record(subject, obj, current, to_state, viewer)


def illegal(subject: str, current: str, to_state: str):
    return field_error(
        None, f"A {subject.replace('_', ' ')} cannot go from '{current}' to '{to_state}'.", "illegal_transition"
    )


class HistoryGroup(NamedTuple):
    """Objects of one subject moving from one state: `to_states` one per object, or Same(state) for all."""

    subject: str
    object_ids: Sequence[int]
    from_state: str
    to_states: Sequence[str] | Same


def history_rows(writer: Writer, viewer, at: str, groups: list[HistoryGroup]) -> list[Formatted]:
    """The StateChange rows of `groups` by the viewer at `at` (ISO time), formatted for `writer.send`."""
    org, user = viewer.organization, viewer.user
    return [
        writer.formatted(StateChange, {
            "subject": Same(group.subject), "object_id": group.object_ids, "from_state": Same(group.from_state),
            "to_state": group.to_states, "actor_id": Same(user.pk if user else None),
            "actor_organization_id": Same(org.pk), "actor_kind": Same(org.kind), "at": Same(at),
        })
        for group in groups
    ]


def write_history(writer: Writer, viewer, at: str, groups: list[HistoryGroup]) -> None:
    """Write the StateChange rows of `groups` (see history_rows)."""
    for rows in history_rows(writer, viewer, at, groups):
        writer.send(rows)
