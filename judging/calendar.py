"""Calendar invitations (iCalendar, RFC 5545 and its scheduling rules, RFC
5546) for site visits.

One visit keeps one UID for its whole life; each change raises SEQUENCE so
calendar programs replace the earlier invitation. Emailed invitations are
METHOD:REQUEST, with the attendees, and a cancellation METHOD:CANCEL; a file
downloaded from the service is METHOD:PUBLISH, which by RFC 5546 names no
attendees. Times are written in UTC ("...Z"), which needs no VTIMEZONE and
which every calendar program shows in its own time zone.
"""

import base64
from datetime import UTC

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
    """The visit as an iCalendar event. `judges` are named (as attendees in an
    invitation, in the description of a published file): pass them only in
    the copies for the visiting judges themselves; the provider's copy names
    no judge (awards.disclosure: judges are never disclosed to entrants)."""
    calendar = Calendar()
    calendar.add("prodid", f"-//{settings.SERVICE_NAME}//Site visits//EN")
    calendar.add("version", "2.0")
    calendar.add("method", method)
    event = Event()
    event.add("uid", f"{visit.uid}@care-awards")
    event.add("sequence", visit.sequence)
    event.add("dtstamp", timezone.now())
    event.add("dtstart", visit.starts_at.astimezone(UTC))
    event.add("dtend", visit.ends_at.astimezone(UTC))
    event.add("summary", f"Awards site visit: {visit.nomination.service_name}")
    event.add("location", vText(" ".join(visit.address.split())))
    description = [
        f"Nomination {visit.nomination.reference} ({visit.nomination.category.name}).",
        f"Provider contact: {visit.provider_contact_name}, {visit.provider_contact_email}"
        + (f", {visit.provider_contact_phone}" if visit.provider_contact_phone else ""),
    ]
    if visit.access_notes:
        description.append(f"Access: {visit.access_notes}")
    if judges:
        description.append("Visiting judges: " + ", ".join(judge.get_full_name() for judge in judges))
    event.add("description", "\n".join(description))
    cancelled = method == "CANCEL" or visit.state == "cancelled"
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    organizer = vCalAddress(f"mailto:{settings.DEFAULT_FROM_EMAIL.split('<')[-1].rstrip('>')}")
    organizer.params["cn"] = vText(settings.SERVICE_NAME)
    event["organizer"] = organizer
    if method != "PUBLISH":
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
