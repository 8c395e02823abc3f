"""Fetching pages as a person, for the disclosure tests."""


def get(client, user, url):
    if user is None:
        client.logout()
    else:
        client.force_login(user)
    return client.get(url)


def body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def press_pack(client, user, cycle):
    """The press pack as `user` takes it: asked for, built by the worker's
    code (judging.press_pack through core.export_jobs), then downloaded."""
    from django.urls import reverse

    from core import export_jobs
    from judging import domain

    job = domain.request_press_pack(user, cycle)
    export_jobs.run(job.pk)
    return get(client, user, reverse("core:export_download", args=[job.pk]))
