from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings
from django.template import TemplateDoesNotExist
from django.template.loader import render_to_string

from notifications.mail import queue_rendered_email


class AccountAdapter(DefaultAccountAdapter):
    """Sends allauth's emails (verification, password reset) through the
    outbox, so they survive a broker or mail server outage like every other."""

    def send_mail(self, template_prefix, email, context):
        context = {"service_name": settings.SERVICE_NAME, "site_url": settings.SITE_URL, **context}
        message = self.render_mail(template_prefix, email, context)
        try:
            html = render_to_string(f"{template_prefix}_message.html", context, self.request)
        except TemplateDoesNotExist:
            html = ""
        queue_rendered_email(
            to=email,
            template=template_prefix.rsplit("/", 1)[-1],
            subject=message.subject,
            text_body=message.body,
            html_body=html,
        )
