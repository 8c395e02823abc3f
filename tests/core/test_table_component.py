"""The table tags (core.templatetags.govuk_tables) write GOV.UK Frontend's table markup exactly."""

import re

import pytest
from django.template import TemplateSyntaxError, engines


def render(source, **context):
    """Renders with the project's engine (the tags are builtins: no {% load %}), whitespace between tags removed."""
    html = engines["django"].from_string(source).render(context)
    return re.sub(r">\s+<", "><", html.strip())


def test_a_table_with_a_head_and_body():
    html = render(
        """
        {% table %}
          {% table_head %}{% th %}Course{% endth %}{% th numeric=True %}Rounds{% endth %}{% endtable_head %}
          {% for row in rows %}
            {% tr %}{% td %}{{ row.0 }}{% endtd %}{% td numeric=True %}{{ row.1 }}{% endtd %}{% endtr %}
          {% endfor %}
        {% endtable %}
        """,
        rows=[("Leading care", 2), ("Safe care", 1)],
    )
    # Below tablet width the table stacks: each cell is introduced by its column's heading.
    assert html == (
        '<table class="govuk-table app-table--stacked">'
        '<thead class="govuk-table__head"><tr class="govuk-table__row">'
        '<th scope="col" class="govuk-table__header">Course</th>'
        '<th scope="col" class="govuk-table__header govuk-table__header--numeric">Rounds</th>'
        "</tr></thead>"
        '<tbody class="govuk-table__body">'
        '<tr class="govuk-table__row"><td class="govuk-table__cell" data-label="Course">Leading care</td>'
        '<td class="govuk-table__cell govuk-table__cell--numeric" data-label="Rounds">2</td></tr>'
        '<tr class="govuk-table__row"><td class="govuk-table__cell" data-label="Course">Safe care</td>'
        '<td class="govuk-table__cell govuk-table__cell--numeric" data-label="Rounds">1</td></tr>'
        "</tbody></table>"
    )


def test_stacked_labels_count_row_headers_and_spans_and_keep_labels_given_by_hand():
    head = (
        "{% table_head %}{% th %}Nomination{% endth %}"
        '{% th %}<span class="govuk-visually-hidden">Judge</span> A{% endth %}{% th %}B{% endth %}{% endtable_head %}'
    )
    inner = "{% table stacked=False %}{% table_head %}{% th %}Inner{% endth %}{% endtable_head %}"
    inner += "{% tr %}{% td %}i{% endtd %}{% endtr %}{% endtable %}"
    html = render(
        "{% table %}" + head + "{% tr %}{% th row=True %}N1{% endth %}{% td %}1{% endtd %}"
        '{% td data_label="Second" %}2{% endtd %}{% endtr %}'
        "{% tr %}{% td colspan=3 %}None{% endtd %}{% endtr %}"
        "{% tr %}{% th row=True %}N2{% endth %}{% td colspan=2 %}Withdrawn{% endtd %}{% endtr %}"
        "{% tr %}{% td %}" + inner + "{% endtd %}{% td %}x{% endtd %}{% endtr %}{% endtable %}"
    )
    labels = re.findall(r'<td class="govuk-table__cell"(?: data-label="([^"]*)")?[^>]*>([^<]*)', html)
    assert labels == [
        ("Judge A", "1"),
        ("Second", "2"),
        ("", "None"),
        ("", "Withdrawn"),
        ("Nomination", ""),
        ("", "i"),
        ("Judge A", "x"),
    ]
    assert html.count("app-table--stacked") == 1


@pytest.mark.parametrize("size", ["s", "m", "l", "xl"])
def test_caption_sizes(size):
    html = render('{% table caption="Entries" caption_size=size %}{% endtable %}', size=size)
    assert html == (
        '<table class="govuk-table">'
        f'<caption class="govuk-table__caption govuk-table__caption--{size}">Entries</caption>'
        '<tbody class="govuk-table__body"></tbody></table>'
    )


def test_caption_without_a_size_and_with_extra_classes():
    assert render('{% table caption="Entries" %}{% endtable %}') == (
        '<table class="govuk-table"><caption class="govuk-table__caption">Entries</caption>'
        '<tbody class="govuk-table__body"></tbody></table>'
    )
    assert render(
        '{% table caption="Entries" caption_size="s" caption_classes="govuk-visually-hidden" %}{% endtable %}'
    ) == (
        '<table class="govuk-table">'
        '<caption class="govuk-table__caption govuk-table__caption--s govuk-visually-hidden">Entries</caption>'
        '<tbody class="govuk-table__body"></tbody></table>'
    )


def test_a_caption_block_holds_template_content_and_stays_out_of_the_body():
    html = render(
        """{% table stacked=False %}
          {% caption size="m" %}{{ count }} application{{ count|pluralize }} for “{{ query }}”{% endcaption %}
          {% table_head %}{% th %}Course{% endth %}{% endtable_head %}
          {% tr %}{% td %}A{% endtd %}{% endtr %}
        {% endtable %}""",
        count=3,
        query="<b>care</b>",
    )
    assert html == (
        '<table class="govuk-table">'
        '<caption class="govuk-table__caption govuk-table__caption--m">'
        "3 applications for “&lt;b&gt;care&lt;/b&gt;”</caption>"
        '<thead class="govuk-table__head"><tr class="govuk-table__row">'
        '<th scope="col" class="govuk-table__header">Course</th></tr></thead>'
        '<tbody class="govuk-table__body">'
        '<tr class="govuk-table__row"><td class="govuk-table__cell">A</td></tr></tbody>'
        "</table>"
    )
    # A caption block without a head: the rows still go in the body.
    assert render("{% table %}{% caption %}C{% endcaption %}{% tr %}{% endtr %}{% endtable %}") == (
        '<table class="govuk-table"><caption class="govuk-table__caption">C</caption>'
        '<tbody class="govuk-table__body"><tr class="govuk-table__row"></tr></tbody></table>'
    )


def test_a_bad_caption_size_is_refused():
    with pytest.raises(TemplateSyntaxError):
        render('{% table caption="C" caption_size="huge" %}{% endtable %}')


def test_row_headers():
    html = render("{% tr %}{% th row=True %}North East{% endth %}{% td numeric=True %}4{% endtd %}{% endtr %}")
    assert html == (
        '<tr class="govuk-table__row"><th scope="row" class="govuk-table__header">North East</th>'
        '<td class="govuk-table__cell govuk-table__cell--numeric">4</td></tr>'
    )
    assert render("{% th row=True numeric=True %}1{% endth %}") == (
        '<th scope="row" class="govuk-table__header govuk-table__header--numeric">1</th>'
    )


def test_an_empty_row_spans_the_columns():
    html = render(
        """{% table stacked=False %}{% table_head %}{% th %}A{% endth %}{% th %}B{% endth %}{% endtable_head %}
        {% for row in rows %}{% tr %}{% td %}{{ row }}{% endtd %}{% endtr %}
        {% empty %}{% tr %}{% td colspan=2 %}Nothing yet.{% endtd %}{% endtr %}{% endfor %}{% endtable %}""",
        rows=[],
    )
    assert html == (
        '<table class="govuk-table"><thead class="govuk-table__head"><tr class="govuk-table__row">'
        '<th scope="col" class="govuk-table__header">A</th><th scope="col" class="govuk-table__header">B</th>'
        '</tr></thead><tbody class="govuk-table__body"><tr class="govuk-table__row">'
        '<td class="govuk-table__cell" colspan="2">Nothing yet.</td></tr></tbody></table>'
    )


def test_extra_classes_and_attributes():
    html = render(
        '{% table id="results" classes="app-table--wide" stacked=False %}'
        '{% table_head classes="app-head" %}{% th id="h1" classes="app-col" %}A{% endth %}{% endtable_head %}'
        '{% tr id="row-"|add:pk classes="app-row" data_module="app-row" %}'
        '{% td classes="app-table-actions govuk-body-s" colspan=3 rowspan=2 hidden=True title=None %}x{% endtd %}'
        "{% endtr %}{% endtable %}",
        pk="7",
    )
    assert html == (
        '<table class="govuk-table app-table--wide" id="results">'
        '<thead class="govuk-table__head app-head"><tr class="govuk-table__row">'
        '<th scope="col" class="govuk-table__header app-col" id="h1">A</th></tr></thead>'
        '<tbody class="govuk-table__body">'
        '<tr class="govuk-table__row app-row" id="row-7" data-module="app-row">'
        '<td class="govuk-table__cell app-table-actions govuk-body-s" colspan="3" rowspan="2" hidden>x</td>'
        "</tr></tbody></table>"
    )


def test_attribute_values_are_escaped_and_cell_content_is_not_escaped_twice():
    html = render(
        '{% table caption=title %}{% tr title=title %}{% td id=title %}<a class="govuk-link" href="/x">{{ title }}</a>'
        '<span class="govuk-visually-hidden"> of {{ title }}</span>{% endtd %}{% endtr %}{% endtable %}',
        title='"Tom" & <Jerry>',
    )
    escaped = "&quot;Tom&quot; &amp; &lt;Jerry&gt;"
    assert html == (
        f'<table class="govuk-table"><caption class="govuk-table__caption">{escaped}</caption>'
        f'<tbody class="govuk-table__body"><tr class="govuk-table__row" title="{escaped}">'
        f'<td class="govuk-table__cell" id="{escaped}"><a class="govuk-link" href="/x">{escaped}</a>'
        f'<span class="govuk-visually-hidden"> of {escaped}</span></td></tr></tbody></table>'
    )


def test_nested_tags_inside_an_if_and_a_head_cell_that_is_conditional():
    source = (
        "{% table stacked=False %}{% table_head %}{% th %}Person{% endth %}"
        "{% if admin %}{% th %}Change{% endth %}{% endif %}"
        "{% endtable_head %}{% if admin %}{% tr %}{% td %}x{% endtd %}{% endtr %}{% endif %}{% endtable %}"
    )
    assert render(source, admin=False) == (
        '<table class="govuk-table"><thead class="govuk-table__head"><tr class="govuk-table__row">'
        '<th scope="col" class="govuk-table__header">Person</th></tr></thead>'
        '<tbody class="govuk-table__body"></tbody></table>'
    )
    assert '<th scope="col" class="govuk-table__header">Change</th></tr></thead>' in render(source, admin=True)


def test_table_takes_keyword_arguments_only():
    with pytest.raises(TemplateSyntaxError):
        render('{% table "caption" %}{% endtable %}')


def test_a_summary_list():
    html = render(
        """{% summary_list %}
          {% summary_row key="Sector" %}{{ sector }}{% endsummary_row %}
          {% summary_row key=label id="valid" %}<strong class="govuk-tag">Accredited</strong>{% endsummary_row %}
        {% endsummary_list %}""",
        sector="Adult <social> care",
        label="Valid & current",
    )
    assert html == (
        '<dl class="govuk-summary-list">'
        '<div class="govuk-summary-list__row"><dt class="govuk-summary-list__key">Sector</dt>'
        '<dd class="govuk-summary-list__value">Adult &lt;social&gt; care</dd></div>'
        '<div class="govuk-summary-list__row" id="valid"><dt class="govuk-summary-list__key">Valid &amp; current</dt>'
        '<dd class="govuk-summary-list__value"><strong class="govuk-tag">Accredited</strong></dd></div>'
        "</dl>"
    )


def test_a_summary_list_without_borders_and_with_extra_classes():
    assert render('{% summary_list no_border=True classes="app-counts" %}{% endsummary_list %}') == (
        '<dl class="govuk-summary-list govuk-summary-list--no-border app-counts"></dl>'
    )
