from django.contrib import admin

from .models import OutboundEmail


@admin.register(OutboundEmail)
class OutboundEmailAdmin(admin.ModelAdmin):
    list_display = ["created_at", "to", "subject", "state", "attempts", "sent_at"]
    list_filter = ["state", "template"]
    search_fields = ["to", "subject"]
    readonly_fields = [f.name for f in OutboundEmail._meta.fields]

    def get_fields(self, request, obj=None):
        """An email that holds a sign-in, reset or invitation link shows no body
        here, even before it is sent and blanked."""
        fields = [f.name for f in OutboundEmail._meta.fields]
        if obj is not None and obj.holds_secret:
            fields = [name for name in fields if name not in ("text_body", "html_body", "attachments")]
        return fields

    def get_readonly_fields(self, request, obj=None):
        return self.get_fields(request, obj)

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
