"""Calendar invitations (iCalendar, RFC 5545) for site visits.

One visit keeps one UID for its whole life; each change raises SEQUENCE so
calendar programs replace the earlier invitation, and a cancellation is sent
with METHOD:CANCEL.
"""

import base64

from django.conf import settings
from django.utils import timezone
from icalendar import Calendar, Event, vCalAddress, vText


def visit_attachment(visit, *, judges=(), method: str = "REQUEST") -> dict:
    """The invitation as an email attachment (the outbox stores it base64)."""
    return {
        "filename": "site-visit.ics",
        "mimetype": f"text/calendar; method={method}",
        "content_b64": base64.b64encode(visit_invitation(visit, judges=judges, method=method)).decode(),
    }


def visit_invitation(visit, *, judges=(), method: str = "REQUEST") -> bytes:
    """The visit as an iCalendar event. `judges` are listed as attendees:
    pass them only in the copies for the visiting judges themselves; the
    provider's copy names no judge (awards.disclosure: judges are never
    disclosed to entrants)."""
    calendar = Calendar()
    calendar.add("prodid", f"-//{settings.SERVICE_NAME}//Site visits//EN")
    calendar.add("version", "2.0")
    calendar.add("method", method)
    event = Event()
    event.add("uid", f"{visit.uid}@care-awards")
    event.add("sequence", visit.sequence)
    event.add("dtstamp", timezone.now())
    event.add("dtstart", visit.starts_at)
    event.add("dtend", visit.ends_at)
    event.add("summary", f"Awards site visit: {visit.nomination.service_name}")
    event.add("location", vText(" ".join(visit.address.split())))
    description = [
        f"Nomination {visit.nomination.reference} ({visit.nomination.category.name}).",
        f"Provider contact: {visit.provider_contact_name}, {visit.provider_contact_email}"
        + (f", {visit.provider_contact_phone}" if visit.provider_contact_phone else ""),
    ]
    if visit.access_notes:
        description.append(f"Access: {visit.access_notes}")
    event.add("description", "\n".join(description))
    event.add("status", "CANCELLED" if method == "CANCEL" else "CONFIRMED")
    organizer = vCalAddress(f"mailto:{settings.DEFAULT_FROM_EMAIL.split('<')[-1].rstrip('>')}")
    organizer.params["cn"] = vText(settings.SERVICE_NAME)
    event["organizer"] = organizer
    for judge in judges:
        attendee = vCalAddress(f"mailto:{judge.email}")
        attendee.params["cn"] = vText(judge.get_full_name())
        attendee.params["role"] = vText("REQ-PARTICIPANT")
        event.add("attendee", attendee, encode=0)
    provider = vCalAddress(f"mailto:{visit.provider_contact_email}")
    provider.params["cn"] = vText(visit.provider_contact_name)
    event.add("attendee", provider, encode=0)
    calendar.add_component(event)
    return calendar.to_ical()
