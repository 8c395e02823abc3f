"""Calendar files are valid iCalendar (RFC 5545) and follow the scheduling
rules (RFC 5546), read by two independent parsers: icalendar and vobject."""

import base64
from datetime import timedelta

import pytest
import vobject
from django.urls import reverse
from icalendar import Calendar

from notifications.models import OutboundEmail

from ..matrix.disclosure_world import JUDGE_NAMES, world_at

pytestmark = pytest.mark.django_db


def parsed(data: bytes):
    """The event as both parsers read it, with the calendar's METHOD."""
    by_icalendar = Calendar.from_ical(data)
    by_vobject = vobject.readOne(data.decode())
    return by_icalendar, by_icalendar.walk("VEVENT")[0], by_vobject, by_vobject.vevent


def attachment(email) -> bytes:
    return base64.b64decode(email.attachments[0]["content_b64"])


def test_invitations_cancellations_and_downloads_are_valid_and_say_what_they_are(client):
    with world_at("visits") as world:
        visit, judith = world.objects["visit"], world.people["judith"]
        emails = OutboundEmail.objects.filter(to=JUDGE_NAMES["judith"][1]).order_by("pk")
        invitation = emails.filter(template="site_visit_invitation").last()
        cancellation = emails.filter(template="site_visit_cancelled").last()
        client.force_login(judith)
        download = client.get(reverse("judging:visit_ics", args=[visit.pk]))
        assert download["Content-Type"] == "text/calendar; charset=utf-8; method=PUBLISH"

        for data, method, attendees in (
            (attachment(invitation), "REQUEST", 3),
            (attachment(cancellation), "CANCEL", 3),
            (download.content, "PUBLISH", 0),
        ):
            calendar, event, vcalendar, vevent = parsed(data)
            assert str(calendar["METHOD"]) == vcalendar.method.value == method
            # Times in UTC: no TZID that would need a VTIMEZONE the file does not carry.
            assert b"TZID" not in data and not calendar.walk("VTIMEZONE")
            assert b"DTSTART:20300415T100000Z" in data
            assert event.decoded("DTSTART").utcoffset() == vevent.dtstart.value.utcoffset() == timedelta(0)
            assert event.decoded("DTSTART") == vevent.dtstart.value
            assert len(vevent.contents.get("attendee", [])) == attendees
            assert str(event["UID"]) == vevent.uid.value
            if method != "CANCEL":  # the cancellation is of the first visit, since rearranged
                assert vevent.uid.value == f"{visit.uid}@care-awards"
            assert str(event["ORGANIZER"]).startswith("mailto:")
        assert str(parsed(attachment(cancellation))[1]["STATUS"]) == "CANCELLED"
        assert str(parsed(download.content)[1]["STATUS"]) == "CONFIRMED"
        # The download names the visit team in its description instead.
        assert "Visiting judges: Ivy Lumen, Judith Quayle" in str(parsed(download.content)[1]["DESCRIPTION"])


def test_a_cancelled_visit_downloads_as_cancelled():
    with world_at("visits") as world:
        from judging import domain as judging

        visit = world.objects["visit"]
        judging.cancel_visit(world.people["admin"], visit, reason="Snow")
        from django.test import Client

        client = Client()
        client.force_login(world.people["ivy"])
        calendar, event, _, _ = parsed(client.get(reverse("judging:visit_ics", args=[visit.pk])).content)
        assert (str(calendar["METHOD"]), str(event["STATUS"])) == ("PUBLISH", "CANCELLED")
