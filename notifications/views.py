"""The reminder ledger for staff, and each person's own reminders."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST
from django_celery_beat.models import PeriodicTask

from accounts.views import permission_required
from core.errors import DomainError

from . import domain, registry
from .models import EmailState, OutboundEmail, Reminder

staff_required = permission_required("notifications.view_ledger")


def next_runs():
    now = timezone.now()
    rows = []
    for task in PeriodicTask.objects.filter(enabled=True).select_related("crontab", "interval").order_by("name"):
        try:
            remaining = task.schedule.remaining_estimate(task.last_run_at or now)
        except Exception:  # a schedule django-celery-beat cannot estimate
            remaining = None
        rows.append(
            {
                "name": task.name,
                "task": task.task,
                "last_run": task.last_run_at,
                "next_run": now + remaining if remaining is not None else None,
            }
        )
    return rows


@staff_required
def ledger(request):
    reminders = Reminder.objects.select_related("email", "recipient")
    kind = request.GET.get("kind", "")
    state = request.GET.get("state", "")
    recipient = request.GET.get("recipient", "").strip()[:200]
    if kind in registry.KINDS:
        reminders = reminders.filter(kind=kind)
    if state in EmailState.values:
        reminders = reminders.filter(email__state=state)
    if recipient:
        reminders = reminders.filter(recipient_email__icontains=recipient)
    page = Paginator(reminders, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "notifications/ledger.html",
        {
            "page": page,
            "kinds": registry.kind_choices(),
            "states": EmailState.choices,
            "chosen": {"kind": kind, "state": state, "recipient": recipient},
            "runs": next_runs(),
        },
    )


@staff_required
@require_POST
def resend(request, pk):
    email = get_object_or_404(OutboundEmail, pk=pk)
    try:
        domain.resend(request.user, email)
    except DomainError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, f"The email to {email.to} has been queued again.")
    return redirect("notifications:ledger")


@login_required
def mine(request):
    reminders = Reminder.objects.filter(recipient=request.user).select_related("email")
    page = Paginator(reminders, 50).get_page(request.GET.get("page"))
    return render(request, "notifications/mine.html", {"page": page})
