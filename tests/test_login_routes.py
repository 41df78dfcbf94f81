"""Where a login sends the browser next: only to the app's own pages, whatever `next=` says."""

from __future__ import annotations

import pytest

from trainer.ui.login_routes import _local


@pytest.mark.parametrize(
    "wanted, goes_to",
    [
        ("/history?person=Ann", "/history?person=Ann"),
        ("/", "/"),
        ("//evil.example/x", "/"),
        ("https://evil.example/", "/"),
        ("/\\evil.example/x", "/"),  # Chromium reads "/\host" as "//host"
        ("\\\\evil.example", "/"),
        ("/\t/evil.example", "/"),  # tabs and line breaks are dropped from addresses
        ("/\n/evil.example", "/"),
        ("evil.example", "/"),
    ],
)
def test_a_login_goes_on_only_to_the_apps_own_pages(wanted, goes_to):
    assert _local(wanted) == goes_to
