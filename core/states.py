"""One way to change a record's state: through its workflow's table.

Each app's enums.py declares, for each workflow, the states each state may
move to (e.g. awards.enums.NOMINATION_TRANSITIONS). Domain functions move a
record with `move`, or a set of records with `move_all`; nothing else writes a
state field. Permission, audit and email stay with the domain function: this
only refuses a move the workflow does not have.
"""

from .errors import DomainError


def _label(states, value) -> str:
    return states(value).label.lower()


def may_move(transitions, from_state, to_state) -> bool:
    return to_state in transitions.get(from_state, ())


def move(record, to_state, transitions, *, field: str = "state", noun: str | None = None) -> str:
    """Sets `record.<field>` to `to_state` if `transitions` allows it from the
    current state, and returns the state it left. Does not save."""
    from_state = getattr(record, field)
    if not may_move(transitions, from_state, to_state):
        states = type(next(iter(transitions)))
        noun = noun or record._meta.verbose_name
        raise DomainError(f"A {noun} that is {_label(states, from_state)} cannot become {_label(states, to_state)}")
    setattr(record, field, to_state)
    return from_state


def sources(transitions, to_state) -> list:
    """Every state from which `to_state` may be reached."""
    return [from_state for from_state, targets in transitions.items() if to_state in targets]


def move_all(queryset, to_state, transitions, *, field: str = "state", **changes) -> int:
    """Moves every record of `queryset` that the workflow allows to `to_state`
    (others are left as they are) and returns how many moved."""
    return queryset.filter(**{f"{field}__in": sources(transitions, to_state)}).update(**{field: to_state}, **changes)
