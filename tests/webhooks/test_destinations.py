"""Server-side request forgery: endpoints are HTTPS addresses on the public
internet, checked when registered and again (the same resolved address) at
every delivery. Plain HTTP to loopback only where WEBHOOKS_ALLOW_LOOPBACK is on."""

import socket

import pytest

from webhooks import destinations, sending
from webhooks.enums import DeliveryState
from webhooks.models import Delivery

from ..accreditation.test_accreditation import accredit
from .conftest import make_endpoint

PUBLIC = "https://93.184.216.34/hooks"

REFUSED_IN_PRODUCTION = {
    "http://93.184.216.34/hooks": "must start with https://",
    "https://127.0.0.1/hooks": "private, loopback or link-local",
    "http://127.0.0.1:8000/hooks": "must start with https://",
    "https://10.1.2.3/": "private, loopback or link-local",
    "https://172.16.0.1/": "private, loopback or link-local",
    "https://192.168.1.10/": "private, loopback or link-local",
    "https://169.254.169.254/latest/meta-data/": "private, loopback or link-local",
    "https://100.64.0.1/": "private, loopback or link-local",
    "https://0.0.0.0/": "private, loopback or link-local",
    "https://[::1]/": "private, loopback or link-local",
    "https://[fe80::1]/": "private, loopback or link-local",
    "https://[fd00::1]/": "private, loopback or link-local",
    "https://[::ffff:10.0.0.1]/": "private, loopback or link-local",
    "https://224.0.0.1/": "private, loopback or link-local",
    "https://user:pw@93.184.216.34/": "user name or password",
    "ftp://93.184.216.34/": "Enter a web address",
    "https:///nohost": "Enter a web address",
    "https://93.184.216.34:99999/": "Enter a web address",
    "not a url": "Enter a web address",
}


@pytest.fixture
def production(settings):
    settings.WEBHOOKS_ALLOW_LOOPBACK = False


@pytest.mark.parametrize("url", sorted(REFUSED_IN_PRODUCTION))
def test_refused_in_production(production, url):
    with pytest.raises(destinations.DestinationRefused, match=REFUSED_IN_PRODUCTION[url].replace("?", r"\?")):
        destinations.check(url)


def test_a_public_https_address_is_accepted(production):
    assert destinations.check(PUBLIC) == ("https", "93.184.216.34", 443, "93.184.216.34")
    assert destinations.check("HTTPS://93.184.216.34:8443/x") == ("https", "93.184.216.34", 8443, "93.184.216.34")


def fake_dns(monkeypatch, answers):
    def getaddrinfo(host, port, *args, **kwargs):
        if host not in answers:
            raise socket.gaierror("Name or service not known")
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (address, port)) for address in answers[host]]

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)


def test_names_are_judged_by_every_address_they_resolve_to(production, monkeypatch):
    fake_dns(
        monkeypatch,
        {
            "hooks.example.com": ["93.184.216.34"],
            "sneaky.example.com": ["93.184.216.34", "10.0.0.5"],
            "metadata.example.com": ["169.254.169.254"],
        },
    )
    assert destinations.check("https://hooks.example.com/in") == ("https", "hooks.example.com", 443, "93.184.216.34")
    with pytest.raises(destinations.DestinationRefused, match=r"sneaky.example.com is a private.*\(10.0.0.5\)"):
        destinations.check("https://sneaky.example.com/in")
    with pytest.raises(destinations.DestinationRefused, match="169.254.169.254"):
        destinations.check("https://metadata.example.com/in")
    with pytest.raises(destinations.DestinationRefused, match="could not be found"):
        destinations.check("https://nowhere.example.com/in")


def test_loopback_over_http_only_where_allowed(settings):
    settings.WEBHOOKS_ALLOW_LOOPBACK = True
    assert destinations.check("http://127.0.0.1:8000/hooks") == ("http", "127.0.0.1", 8000, "127.0.0.1")
    assert destinations.check("http://[::1]:8000/hooks")[3] == "::1"
    with pytest.raises(destinations.DestinationRefused, match="must start with https://"):
        destinations.check("http://10.0.0.1/hooks")
    with pytest.raises(destinations.DestinationRefused, match="private"):
        destinations.check("https://10.0.0.1/hooks")


@pytest.mark.django_db
def test_a_name_that_turns_private_after_registration_is_not_reached(
    production, people, receiver, monkeypatch, run_on_commit
):
    """DNS rebinding: the check runs again at delivery, before connecting."""
    fake_dns(monkeypatch, {"hooks.example.com": ["93.184.216.34"]})
    assert destinations.check("https://hooks.example.com/in")[3] == "93.184.216.34"
    make_endpoint("https://hooks.example.com/in", organisation=people["provider"])
    fake_dns(monkeypatch, {"hooks.example.com": ["10.0.0.5"]})
    with run_on_commit():
        accredit(people)
    delivery = Delivery.objects.get()
    assert delivery.state == DeliveryState.QUEUED
    assert delivery.last_status_code is None
    assert "private, loopback or link-local" in delivery.last_error
    assert receiver.requests == []
    assert delivery.attempts == 1
    assert sending.backoff(delivery.attempts).total_seconds() == 60
