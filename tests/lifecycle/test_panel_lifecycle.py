"""Property-based lifecycle test of a judging panel: hypothesis applies random sequences
of the real domain functions to a panel (PanelLifecycle, in panel_machine.py) and checks
after every step that what is final stays final.

Each example builds its world inside a savepoint and rolls it back at the
end, so examples do not see each other. A step the domain refuses (a
DomainError or PermissionDenied) is a step too: refusals must leave the
invariants true as well. The number of steps run is written to
test-artifacts/lifecycle-steps-panel.txt for the record (steps.py).

Hypothesis derives its (derandomized) examples from the machine's source,
comments and blank lines aside: changing PanelLifecycle's code changes the
sequences it tries.
"""

import pytest
from hypothesis.stateful import run_state_machine_as_test

from .panel_machine import PanelLifecycle
from .steps import REFUSALS, SETTINGS, STEPS, WHY, _record_steps

pytestmark = pytest.mark.django_db(transaction=False)


def test_panel_lifecycle_keeps_what_is_final():
    STEPS.clear()
    REFUSALS.clear()
    WHY.clear()
    run_state_machine_as_test(PanelLifecycle, settings=SETTINGS)
    _record_steps("panel")
    assert STEPS.total() > 500
