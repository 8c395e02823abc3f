"""What the lifecycle machines share: the step and refusal counts, hypothesis's settings,
the savepoint each example runs in (RolledBack) and the record of the steps run
(test-artifacts/lifecycle-steps-<name>.txt)."""

from collections import Counter

from django.core.exceptions import PermissionDenied
from django.db import transaction
from hypothesis import HealthCheck, settings

from core.errors import DomainError

from ..conftest import ARTIFACTS

STEPS = Counter()
REFUSALS = Counter()
WHY = Counter()
REFUSED = (DomainError, PermissionDenied)
SETTINGS = settings(
    max_examples=25,
    stateful_step_count=50,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)


class RolledBack:
    """Builds the example's world in a savepoint that teardown rolls back."""

    def _begin(self):
        self._atomic = transaction.atomic()
        self._atomic.__enter__()

    def teardown(self):
        transaction.set_rollback(True)
        self._atomic.__exit__(None, None, None)

    def attempt(self, name, action) -> bool:
        """Runs one domain function; True if it did what was asked."""
        STEPS[name] += 1
        try:
            action()
        except REFUSED as refusal:
            REFUSALS[name] += 1
            WHY[(name, str(refusal)[:70])] += 1
            return False
        return True


def _record_steps(name):
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / f"lifecycle-steps-{name}.txt").write_text(
        "".join(f"{step}: {count} ({REFUSALS[step]} refused)\n" for step, count in sorted(STEPS.items()))
        + f"total: {STEPS.total()} steps, {REFUSALS.total()} refused\n\nRefusals:\n"
        + "".join(f"{n} × {step}: {why}\n" for (step, why), n in WHY.most_common())
    )
