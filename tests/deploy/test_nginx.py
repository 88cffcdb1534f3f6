"""The nginx configuration of docs/BETRIEB.md is valid for the nginx of Debian 12."""

from __future__ import annotations

import subprocess

from tests.utils.nginx import render_site


def test_the_documented_nginx_configuration_is_valid(tmp_path):
    site = render_site(
        tmp_path / "nginx", http_port=18080, https_port=18443, rasa=[5005, 5006], web=8000
    )
    result = subprocess.run(site.command("-t"), capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert "syntax is ok" in result.stderr
    rendered = (tmp_path / "nginx" / "site.conf").read_text()
    assert "server 127.0.0.1:5006" in rendered
    assert "client_max_body_size 64k;" in rendered
