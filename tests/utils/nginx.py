"""The documented nginx configuration, rewritten to run unprivileged in a temporary folder.

Only what cannot work in a test changes: the ports it listens on, the upstream servers, the
certificate (a fresh self-signed one), the paths of logs, pid and temporary files. Every
limit and every location stays as documented.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from bot.settings import PROJECT_ROOT

DEPLOY = PROJECT_ROOT / "deploy" / "nginx"
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"


@dataclass(frozen=True)
class NginxSite:
    prefix: Path
    http_port: int
    https_port: int

    @property
    def config(self) -> Path:
        return self.prefix / "nginx.conf"

    def command(self, *args: str) -> list[str]:
        return [NGINX, "-p", str(self.prefix), "-c", str(self.config), "-e", "error.log", *args]


def self_signed_certificate(folder: Path) -> tuple[Path, Path]:
    certificate, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(
        [
            "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
            "-subj", "/CN=assistent.ksm.example",
            "-keyout", str(key), "-out", str(certificate),
        ],
        check=True, capture_output=True,
    )  # fmt: skip
    return certificate, key


def render_site(
    prefix: Path, *, http_port: int, https_port: int, rasa: list[int], web: int
) -> NginxSite:
    prefix.mkdir(parents=True, exist_ok=True)
    certificate, key = self_signed_certificate(prefix)
    site = (DEPLOY / "ksm-assistent.conf").read_text()
    site = site.replace("/etc/ssl/certs/assistent.ksm.example.pem", str(certificate))
    site = site.replace("/etc/ssl/private/assistent.ksm.example.key", str(key))
    site = site.replace(
        "/etc/nginx/ksm-assistent-proxy.conf", str(DEPLOY / "ksm-assistent-proxy.conf")
    )
    site = re.sub(r"/var/log/nginx/", f"{prefix}/", site)
    site = re.sub(r"listen 80;", f"listen 127.0.0.1:{http_port};", site)
    site = re.sub(r"listen 443 ssl http2;", f"listen 127.0.0.1:{https_port} ssl http2;", site)
    site = re.sub(r"\s*listen \[::\]:\d+[^;]*;", "", site)
    upstreams = "\n".join(
        f"    server 127.0.0.1:{port} max_fails=3 fail_timeout=10s;" for port in rasa
    )
    site = re.sub(
        r"(upstream ksm_rasa \{\n    least_conn;\n)(?:    server [^\n]*\n)+",
        rf"\g<1>{upstreams}\n",
        site,
    )
    site = site.replace("server 127.0.0.1:8000;", f"server 127.0.0.1:{web};")
    (prefix / "site.conf").write_text(site)
    temp = "\n".join(
        f"    {name}_temp_path {prefix}/{name};"
        for name in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    (prefix / "nginx.conf").write_text(
        f"daemon off;\nworker_processes 1;\npid {prefix}/nginx.pid;\nevents {{}}\n"
        f"http {{\n{temp}\n    include {prefix}/site.conf;\n}}\n"
    )
    return NginxSite(prefix, http_port, https_port)
