"""An export kind is either a table (header, count, rows) or a file its own
`build` writes (the press pack): declaring neither or both is refused."""

import pytest
from django.core.exceptions import ImproperlyConfigured

from core.export_jobs import KINDS, ExportKind, export_kind


def kind(**extra):
    return ExportKind(
        code="tests.kind",
        label="test",
        permission="awards.manage",
        filename="test",
        list_url="awards:manage_nominations",
        queue_email=print,
        audit=print,
        **extra,
    )


@pytest.mark.parametrize(
    "extra",
    [{}, {"header": ("a",), "count": len, "rows": list, "build": lambda job, handle: 0}],
    ids=["neither", "both"],
)
def test_a_kind_is_a_table_or_a_file(extra):
    with pytest.raises(ImproperlyConfigured, match="needs either rows"):
        export_kind(kind(**extra))
    assert "tests.kind" not in KINDS


def test_the_press_pack_is_a_file_with_a_disclosure_check():
    press_pack = KINDS["judging.press_pack"]
    assert (press_pack.rows, press_pack.unit, press_pack.permission) == (None, "award", "judging.press_pack")
    assert callable(press_pack.build) and callable(press_pack.withheld) and callable(press_pack.downloaded)
