"""GOV.UK Frontend tables and summary lists as block tags, so templates never
write the govuk-table__ or govuk-summary-list__ classes by hand. A builtin
library (TEMPLATES "builtins" in settings): no {% load %} is needed.

    {% table caption="Applications waiting" caption_size="m" %}
      {% table_head %}{% th %}Course{% endth %}{% th numeric=True %}Round{% endth %}{% endtable_head %}
      {% for application in applications %}
        {% tr %}
          {% th row=True %}{{ application.course.title }}{% endth %}
          {% td numeric=True %}{{ application.round }}{% endtd %}
        {% endtr %}
      {% empty %}
        {% tr %}{% td colspan=2 %}No applications are waiting.{% endtd %}{% endtr %}
      {% endfor %}
    {% endtable %}

- {% table %} writes <table class="govuk-table">, the caption, and wraps
  everything after the caption and {% table_head %} in
  <tbody class="govuk-table__body">. A caption with template content is a
  block instead of caption=: {% caption size="m" %}{{ n }} found{% endcaption %},
  placed before {% table_head %}. Both must be written directly inside
  {% table %} (not inside an {% if %}); a cell inside {% table_head %} can be.
- {% table_head %} is <thead> with its one header row.
- {% th %} has scope="col"; row=True makes it a row header (scope="row").
- numeric=True on th and td adds the --numeric modifier.
- Every tag takes classes="..." (added after the GOV.UK classes) and any other
  attribute: id="x", colspan=2, data_module="y" (underscores become hyphens).
  Values are escaped; True writes a bare attribute, False or None leaves it out.
- Summary lists: {% summary_list %}{% summary_row key="Sector" %}{{ sector }}{% endsummary_row %}{% endsummary_list %}
  (key= is text and is escaped; no_border=True adds the --no-border modifier).
- Cell content is template output, already escaped by autoescaping: it is not
  escaped again, so links, tags and visually hidden text work as usual.
- Narrow screens: a table with a head stacks below tablet width (the
  app-table--stacked style): each row becomes a block and each body cell is
  introduced by its column's heading, which {% td %} takes from the head as its
  data-label (a data_label= given by hand wins). So every page fits 320 px
  without scrolling sideways. stacked=False keeps a table as it is.
"""

import re

from django import template
from django.template.base import NodeList, token_kwargs
from django.utils.html import format_html, format_html_join, strip_tags

# The columns of the table being rendered (a stack: tables may nest), kept in the
# template's render_context so concurrent renders never share it.
_COLUMNS = "govuk_tables.columns"
_HEADING = re.compile(r"<th\b[^>]*>(.*?)</th>", re.S)

register = template.Library()

CAPTION_SIZES = ("s", "m", "l", "xl")


def element(tag, content, classes, attrs, **leading):
    """<tag leading... class="classes" attrs...>content</tag>, in that order, attribute values escaped."""
    extra = attrs.pop("classes", "")
    attributes = {
        **leading,
        "class": " ".join(c for c in [*classes, extra] if c),
        **{name.replace("_", "-"): value for name, value in attrs.items()},
    }
    html = format_html_join(
        "",
        "{}",
        (
            (format_html(" {}", name) if value is True else format_html(' {}="{}"', name, value),)
            for name, value in attributes.items()
            if value is not None and value is not False
        ),
    )
    return format_html("<{}{}>{}</{}>", tag, html, content, tag)


@register.simple_block_tag
def caption(content, size=None, **attrs):
    if size is not None and size not in CAPTION_SIZES:
        raise template.TemplateSyntaxError(f"caption size must be one of {CAPTION_SIZES}, not {size!r}")
    size_class = f"govuk-table__caption--{size}" if size else ""
    return element("caption", content, ["govuk-table__caption", size_class], attrs)


@register.simple_block_tag
def table_head(content, **attrs):
    return element("thead", element("tr", content, ["govuk-table__row"], {}), ["govuk-table__head"], attrs)


def _body_columns(context):
    """The innermost table's column state while its body renders, else None."""
    stack = context.render_context.get(_COLUMNS)
    return stack[-1] if stack else None


def _next_label(context, attrs) -> str | None:
    """The heading of the column this body cell sits in; moves on by its colspan."""
    columns = _body_columns(context)
    if columns is None:
        return None
    index, span = columns["at"], int(attrs.get("colspan") or 1)
    columns["at"] += span
    labels = columns["labels"]
    # A cell across several columns ("Nothing yet.") speaks for itself.
    return labels[index] if span == 1 and index < len(labels) and labels[index] else None


@register.simple_block_tag(takes_context=True)
def tr(context, content, **attrs):
    # Cells render before their row: the next row's cells count from the first column.
    columns = _body_columns(context)
    if columns is not None:
        columns["at"] = 0
    return element("tr", content, ["govuk-table__row"], attrs)


@register.simple_block_tag(takes_context=True)
def th(context, content, numeric=False, row=False, **attrs):
    numeric_class = "govuk-table__header--numeric" if numeric else ""
    if row:
        _next_label(context, attrs)  # a row header is the row's name: counted, not labelled
    return element("th", content, ["govuk-table__header", numeric_class], attrs, scope="row" if row else "col")


@register.simple_block_tag(takes_context=True)
def td(context, content, numeric=False, **attrs):
    label = _next_label(context, attrs)
    if label and "data_label" not in attrs:
        attrs["data_label"] = label
    return element("td", content, ["govuk-table__cell", "govuk-table__cell--numeric" if numeric else ""], attrs)


@register.simple_block_tag
def summary_list(content, no_border=False, **attrs):
    border_class = "govuk-summary-list--no-border" if no_border else ""
    return element("dl", content, ["govuk-summary-list", border_class], attrs)


@register.simple_block_tag
def summary_row(content, key, **attrs):
    key_html = element("dt", key, ["govuk-summary-list__key"], {})
    value_html = element("dd", content, ["govuk-summary-list__value"], {})
    return element("div", key_html + value_html, ["govuk-summary-list__row"], attrs)


class TableNode(template.Node):
    def __init__(self, nodelist, kwargs):
        self.nodelist = nodelist
        self.kwargs = kwargs

    def render(self, context):
        attrs = {name: value.resolve(context) for name, value in self.kwargs.items()}
        text = attrs.pop("caption", None)
        size = attrs.pop("caption_size", None)
        caption_classes = attrs.pop("caption_classes", "")
        # The body starts after the last caption or head written directly in the table.
        start = max(
            (i + 1 for i, node in enumerate(self.nodelist) if getattr(node, "func", None) in (caption, table_head)),
            default=0,
        )
        stacked = attrs.pop("stacked", True)
        head = NodeList(self.nodelist[:start]).render(context)
        labels = [" ".join(strip_tags(heading).split()) for heading in _HEADING.findall(head)] if stacked else []
        stack = context.render_context.setdefault(_COLUMNS, [])
        stack.append({"labels": labels, "at": 0})
        try:
            body = element("tbody", NodeList(self.nodelist[start:]).render(context), ["govuk-table__body"], {})
        finally:
            stack.pop()
        if text is not None:
            head = caption(text, size=size, classes=caption_classes) + head
        stacks = labels and "app-table--stacked" not in attrs.get("classes", "")
        classes = ["govuk-table", "app-table--stacked" if stacks else ""]
        return element("table", head + body, classes, attrs)


@register.tag("table")
def do_table(parser, token):
    """{% table [caption="..." caption_size="m" caption_classes="..."] [classes=".." id=".." ...] %}...{% endtable %}"""
    bits = token.split_contents()[1:]
    kwargs = token_kwargs(bits, parser)
    if bits:
        raise template.TemplateSyntaxError(f"table takes keyword arguments only, not {' '.join(bits)!r}")
    nodelist = parser.parse(("endtable",))
    parser.delete_first_token()
    return TableNode(nodelist, kwargs)
