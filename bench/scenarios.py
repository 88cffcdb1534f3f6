"""The simulated staff conversations of the load benchmark, and how often each one occurs.

The mix follows what staff ask after a member has joined: how-to questions (FAQ) most often,
then questions about the Verbund and their own administration, the onboarding status, and
now and then a fault report that goes through the whole form to a ticket. Each turn names a
piece of the answer it expects, so an answer that is wrong (a misunderstood message, a
failing action) counts as an error, not as a fast reply.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass, field

TICKET_NUMBER = re.compile(r"KSM-\d{4}-\d{5}")


@dataclass(frozen=True)
class Turn:
    text: str
    expect: str
    """A piece of text that a correct answer contains (a regular expression)."""


@dataclass(frozen=True)
class Scenario:
    name: str
    weight: int
    """How often this conversation occurs relative to the others."""
    turns: tuple[Turn, ...]
    metadata: dict[str, str] = field(default_factory=dict)
    """What the intranet page passes (the member the user belongs to)."""
    opens_ticket: bool = False
    """The last answer holds the number of a ticket that must exist exactly once."""


SCENARIOS: tuple[Scenario, ...] = (
    Scenario(
        "faq",
        weight=4,
        metadata={"member": "grabow"},
        turns=(
            Turn("Hallo", "Guten Tag"),
            Turn("Ich habe mein Passwort vergessen", "Passwort vergessen"),
            Turn("Ja, hilfreich", "Danke für Ihre Rückmeldung"),
            Turn("Wie komme ich von zu Hause ins VPN?", "VPN"),
            Turn("Danke!", "Gern geschehen"),
        ),
    ),
    Scenario(
        "faq-printer",
        weight=2,
        metadata={"member": "ludwigslust"},
        turns=(
            Turn("Mein Drucker druckt nicht mehr, was kann ich tun?", "Drucker"),
            Turn("Wie erkenne ich eine Phishing-Mail?", "verdächtigen E-Mail"),
            Turn("tschüss", "Auf Wiedersehen"),
        ),
    ),
    Scenario(
        "verbund",
        weight=3,
        metadata={"member": "grabow"},
        turns=(
            Turn("Welche Verwaltungen gehören zum KSM-Verbund?", "Amt Parchimer Umland"),
            Turn("Seit wann betreut uns die KSM?", "01.01.2019"),
            Turn("Betreut die KSM bei uns auch die Telefonie?", "Telefonie"),
            Turn("Wer ist unser Kundenteam?", "kb-sued@ksm.example"),
        ),
    ),
    Scenario(
        "member-asked",
        weight=1,
        turns=(
            Turn("Seit wann betreut uns die KSM?", "Zu welcher Verwaltung"),
            Turn("Parchimer Umland", "01.01.2019"),
            Turn("Wie erreiche ich den Servicedesk?", "030 23125 100"),
        ),
    ),
    Scenario(
        "onboarding",
        weight=2,
        metadata={"member": "musterland"},
        turns=(
            Turn("Wie weit ist die Umstellung bei uns?", "Stand des Beitritts von Amt Musterland"),
            Turn("Wann werden die Arbeitsplätze migriert?", "14.12.2026"),
            Turn("Ist der Servicedesk gerade erreichbar?", "030 23125 100"),
        ),
    ),
    Scenario(
        "fault-ticket",
        weight=1,
        metadata={"member": "grabow"},
        opens_ticket=True,
        turns=(
            Turn("Ich möchte eine Störung melden", "Beschreiben Sie bitte kurz"),
            Turn(
                "Der Drucker im Bürgerbüro druckt seit heute früh nicht mehr", "Wer ist betroffen"
            ),
            Turn("mehrere Kolleginnen und Kollegen", "Wie sehr behindert Sie das"),
            Turn("Ich kann eingeschränkt arbeiten", "Wie ist Ihr Name"),
            Turn("Anna Schmidt", "Telefonnummer oder E-Mail-Adresse"),
            Turn("03871 1234", "Bereich: Drucker"),
            Turn("Ja", TICKET_NUMBER.pattern),
        ),
    ),
)


def choose(rng: random.Random, scenarios: tuple[Scenario, ...] = SCENARIOS) -> Scenario:
    return rng.choices(scenarios, weights=[scenario.weight for scenario in scenarios])[0]


def floor_scenarios(scenarios: tuple[Scenario, ...] = SCENARIOS) -> tuple[Scenario, ...]:
    """The same conversations for the minimal bot, which only knows "Hallo".

    Every conversation keeps its length and weight, so the tracker store grows the same
    way and only the work behind each answer differs.
    """
    return tuple(
        Scenario(
            scenario.name,
            scenario.weight,
            tuple(Turn("Hallo", "Guten Tag") for _ in scenario.turns),
            scenario.metadata,
        )
        for scenario in scenarios
    )
