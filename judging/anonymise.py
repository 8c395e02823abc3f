"""Hiding who made a nomination from judges at an anonymised written stage."""

import re

from awards.disclosure import Fact, allows

PLACEHOLDERS = {
    "organisation": "[the organisation]",
    "service": "[the service]",
    "address": "[address withheld]",
    "registration": "[registration withheld]",
}


def is_anonymised(nomination, audience, phase) -> bool:
    """Whether who entered is hidden from this audience now (awards.disclosure:
    a cycle that anonymises its written stage hides it from judges until the
    shortlist is published)."""
    return not allows(audience, Fact.IDENTITY, phase, anonymised=nomination.cycle.anonymise_written_stage)


def hidden_strings(nomination) -> list[tuple[str, str]]:
    """Identifying strings and what replaces them, longest first so a service
    name that contains the organisation's name is replaced whole."""
    pairs = [
        (nomination.organisation.name, PLACEHOLDERS["organisation"]),
        (nomination.service_name, PLACEHOLDERS["service"]),
        (nomination.service_regulator_number, PLACEHOLDERS["registration"]),
        (nomination.organisation.regulator_number, PLACEHOLDERS["registration"]),
    ]
    pairs += [(line.strip(), PLACEHOLDERS["address"]) for line in nomination.service_address.splitlines()]
    return sorted({(text, mask) for text, mask in pairs if len(text.strip()) >= 3}, key=lambda p: -len(p[0]))


def redact(text: str, nomination) -> str:
    for secret, mask in hidden_strings(nomination):
        text = re.sub(re.escape(secret), mask, text, flags=re.IGNORECASE)
    return text


def evidence_name(index: int, evidence) -> str:
    extension = evidence.original_name.rsplit(".", 1)[-1].lower() if "." in evidence.original_name else "bin"
    return f"evidence-{index}.{extension}"
