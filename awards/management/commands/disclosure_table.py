from django.core.management.base import BaseCommand

from awards.disclosure import markdown_table


class Command(BaseCommand):
    help = "Prints the disclosure policy (awards.disclosure.POLICY) as the table in docs/disclosure.md"

    def handle(self, *args, **options):
        self.stdout.write(markdown_table(), ending="")
