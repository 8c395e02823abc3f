from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings
from django.template import TemplateDoesNotExist
from django.template.loader import render_to_string

from notifications.mail import queue_rendered_email

# allauth's emails that carry a link or code to sign in, verify or reset:
# blanked in the outbox once sent.
SECRET_TEMPLATES = {
    "email_confirmation",
    "email_confirmation_signup",
    "password_reset_key",
    "password_reset_code",
    "login_code",
}


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
        template = template_prefix.rsplit("/", 1)[-1]
        queue_rendered_email(
            to=email,
            template=template,
            subject=message.subject,
            text_body=message.body,
            html_body=html,
            holds_secret=template in SECRET_TEMPLATES,
        )
