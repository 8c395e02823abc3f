from urllib.parse import urlsplit

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


class Site:
    """The site as allauth's emails name it (`current_site.name`,
    `current_site.domain`): from the SITE_NAME and SITE_URL settings, never
    empty, whatever host the request came on (the Sites framework is not
    installed, so allauth would otherwise use the request's host, or nothing)."""

    def __init__(self):
        self.name = settings.SITE_NAME or settings.SERVICE_NAME
        self.domain = urlsplit(settings.SITE_URL).netloc or self.name

    def __str__(self):
        return self.name


def greeting(user) -> str:
    """User.greeting: 'Dear Jo Bloggs', or 'Hello' without a name or a user."""
    return getattr(user, "greeting", None) or "Hello"


class AccountAdapter(DefaultAccountAdapter):
    """Sends allauth's emails (verification, password reset) through the
    outbox, so they survive a broker or mail server outage like every other."""

    def save_user(self, request, user, form, commit=True):
        """Keeps the name asked at sign-up (accounts.forms.SignupForm)."""
        user.full_name = form.cleaned_data.get("full_name", "") or ""
        return super().save_user(request, user, form, commit=commit)

    def send_mail(self, template_prefix, email, context):
        user = context.get("user")
        context = {
            "service_name": settings.SERVICE_NAME,
            "site_url": settings.SITE_URL,
            "contact_email": settings.AWARDS_CONTACT_EMAIL,
            "email": email,
            **context,
            # Always ours: allauth passes the request's host as the site.
            "current_site": Site(),
            "greeting": greeting(user),
        }
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
