"""Demo intranet pages and the widget's files, as the web app serves them."""

import datetime as dt
import re

import pytest
from fastapi.testclient import TestClient

from bot.identity import decode_user_token
from bot.settings import Settings
from bot.web.app import create_app

SECRET = "demo-test-secret-with-at-least-32-bytes"


def demo_client(database_url, **settings):
    app = create_app(Settings(database_url=database_url, rasa_port=5005, **settings))
    return TestClient(app, base_url="http://127.0.0.1:8000")


@pytest.fixture
def demo(seeded):
    with demo_client(seeded, identity_secret=SECRET) as client:
        yield client


def widget_tag(html):
    return re.search(r'<script src="/widget/ksm-chat.js"[^>]*>', html).group(0)


def attribute(tag, name):
    match = re.search(rf'{name}="([^"]*)"', tag)
    return match.group(1) if match else None


def test_member_page_embeds_the_widget_with_member_server_and_a_signed_demo_user(demo):
    page = demo.get("/demo/grabow")
    assert page.status_code == 200
    assert "Intranet Stadt Grabow" in page.text
    tag = widget_tag(page.text)
    assert attribute(tag, "data-member") == "grabow"
    assert attribute(tag, "data-server-url") == "http://127.0.0.1:5005"
    identity = decode_user_token(
        attribute(tag, "data-user-token"), SECRET, now=dt.datetime.now(dt.timezone.utc)
    )
    assert (identity.sub, identity.name, identity.member) == (
        "demo-grabow",
        "Anna Schmidt",
        "grabow",
    )


def test_demo_pages_load_nothing_from_other_hosts(demo):
    page = demo.get("/demo/grabow/it-hinweise")
    assert page.status_code == 200
    for url in re.findall(r'(?:src|href)="([^"]+)"', page.text):
        assert url.startswith(("/", "#")), url
    policy = page.headers["content-security-policy"]
    assert "script-src 'self'" in policy
    assert "connect-src http://127.0.0.1:5005 ws://127.0.0.1:5005" in policy


def test_index_lists_a_page_per_member(demo):
    index = demo.get("/demo")
    assert index.status_code == 200
    for key in ("grabow", "schwerin", "parchimer-umland", "musterland"):
        assert f'href="/demo/{key}"' in index.text


@pytest.mark.parametrize("path", ["/demo/atlantis", "/demo/grabow/geheim"])
def test_unknown_member_or_page_is_not_found(demo, path):
    assert demo.get(path).status_code == 404


def test_without_a_secret_the_demo_user_is_not_signed_in(seeded):
    with demo_client(seeded) as client:
        page = client.get("/demo/grabow")
    assert attribute(widget_tag(page.text), "data-user-token") is None
    assert "KSM_IDENTITY_SECRET" in page.text


def test_demo_pages_switched_off_are_not_served(seeded):
    with demo_client(seeded, identity_secret=SECRET, demo_pages=False) as client:
        assert client.get("/demo/grabow").status_code == 404
        assert client.get("/widget/ksm-chat.js").status_code == 200


@pytest.mark.parametrize(
    "path", ["/widget/ksm-chat.js", "/widget/ksm-chat.css", "/widget/vendor/socket.io.min.js"]
)
def test_widget_files_are_served_and_revalidated(demo, path):
    response = demo.get(path)
    assert response.status_code == 200
    assert response.headers["cache-control"] == "no-cache"
    kind = "text/css" if path.endswith(".css") else "javascript"
    assert kind in response.headers["content-type"]
