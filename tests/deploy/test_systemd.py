"""The systemd units in deploy/systemd start commands the command line knows, in order."""

from __future__ import annotations

import configparser
import shlex

from bot.cli import build_parser
from bot.settings import PROJECT_ROOT

UNITS = PROJECT_ROOT / "deploy" / "systemd"


def _unit(name: str) -> configparser.ConfigParser:
    parser = configparser.ConfigParser(interpolation=None, strict=False)
    parser.optionxform = str  # type: ignore[assignment,method-assign]
    parser.read(UNITS / name, encoding="utf-8")
    return parser


def test_privacy_purge_unit_runs_the_purge_command():
    command = shlex.split(_unit("ksm-privacy-purge.service")["Service"]["ExecStart"])
    assert command[1:3] == ["-m", "bot"]
    args = build_parser().parse_args(command[3:])
    assert (args.command, args.privacy_command, args.older_than) == ("privacy", "purge", None)


def test_privacy_purge_runs_before_the_nightly_backup():
    """The backup taken after the purge no longer holds what the purge deleted."""
    purge = _unit("ksm-privacy-purge.timer")["Timer"]["OnCalendar"].split()[-1]
    backup = _unit("ksm-backup.timer")["Timer"]["OnCalendar"].split()[-1]
    assert purge < backup
