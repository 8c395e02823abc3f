from django.core.exceptions import BadRequest


class RejectNulCharactersMiddleware:
    """No text this service stores or searches may hold a NUL character
    (PostgreSQL refuses it), and no person types one: a request carrying one
    in its address is refused with a 400 before any view runs. Forms refuse
    NUL in posted fields themselves, with a message on the field."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        # lists(), not items(): items() shows only the last value of a repeated name.
        values = (text for key, values in request.GET.lists() for text in (key, *values))
        if "\x00" in request.path or any("\x00" in text for text in values):
            raise BadRequest("The web address contains a character that is not allowed.")
        return self.get_response(request)
