"""The Run info sheet of a round, built in one place: enough to trace a sheet back to its
exact input, settings and rules."""

from __future__ import annotations

from pairctl.config import Settings
from pairctl.core.scoring import ScoreModel
from pairctl.core.summary import run_info_rows
from pairctl.pipeline import PlannedRound, RoundRequest


def forbidden_pairs(model: ScoreModel) -> int:
    """How many pairs of the roster some rule forbids: listed ones and those the time-zone
    and language rules keep apart, each counted once."""
    n = model.size
    return (n * (n - 1) - int(model.allowed_partners().sum())) // 2


def round_info(
    planned: PlannedRound,
    request: RoundRequest,
    settings: Settings,
    *,
    version: str,
    run_at: str,
) -> list[tuple[str, str]]:
    """Every Run info row: the roster and scoring (core), then the rules and history."""
    depth, rounds = request.chain_depth, request.history_rounds
    rows = run_info_rows(
        planned.roster,
        weights_text=settings.weights.as_text(),
        seed=request.seed,
        solver=planned.pairing.solver,
        odd=request.odd,
        version=version,
        run_at=run_at,
    )
    fixed = [*request.pin, *(f"{path} (--keep)" for path in request.keep)]
    pins = f"{len(planned.pins)} ({', '.join(fixed)})" if planned.pins else "(none)"
    return [
        *rows,
        # Offsets and who is away are taken on it: the same roster on another day may pair
        # (and measure) differently.
        ("Round date", planned.model.round_date),
        (
            "Reporting-line rule",
            f"no pairs within {depth} level{'s' if depth != 1 else ''} of one chain"
            if depth
            else "off",
        ),
        (
            "Blind columns mapped on purpose",
            ", ".join(f"{field} <- {column!r}" for field, column in planned.roster.mapped_blind)
            or "(none)",
        ),
        ("Lists split", "; ".join(planned.roster.list_splits) or "(no skills or wants column)"),
        (
            "Manager values resolved",
            planned.managers.describe() if planned.managers else "(rule off or no column)",
        ),
        (
            "Two-way pairs",
            "required: a pair where someone teaches nothing only when no pairing avoids it"
            if request.two_way == "require"
            else "preferred (a pair in which both teach scores higher)",
        ),
        *meeting_rows(planned, request, settings),
        ("Spellings counted as one", planned.roster.vocabulary.describe()),
        ("Related skills", planned.roster.vocabulary.describe_related()),
        ("Avoid lists", ", ".join(request.avoid) or "(none)"),
        ("Pairs forbidden by rules", str(forbidden_pairs(planned.model))),
        ("Pinned pairs", pins),
        ("History", ", ".join(request.history) or "(none)"),
        ("Settings file", settings.path or "(none)"),
        ("Earlier pairs not to repeat", str(planned.earlier_pairs)),
        ("History rounds counted", f"last {rounds}" if rounds else "all given"),
    ]


def meeting_rows(
    planned: PlannedRound, request: RoundRequest, settings: Settings
) -> list[tuple[str, str]]:
    """The time-zone and language rules as they applied: each only for a roster with the
    column it needs, or when it was asked for (then saying why it did not apply)."""
    roster, model = planned.roster, planned.model
    rows = []
    if roster.has_zones or request.max_gap is not None:
        rows.append(
            ("Time-zone rule", _zone_rule(request.max_gap, model.max_gap, model.round_date))
        )
    if roster.has_languages or request.language is not None:
        if not roster.has_languages:
            rule = f"{request.language} asked; not applied: the roster has no languages column"
        elif model.language_rule == "require":
            rule = "require (no pair without a language in common)"
        elif model.language_rule == "prefer":
            cost = settings.weights.no_shared_language
            rule = f"prefer (a pair with no language in common scores {cost:g} lower)"
        else:
            rule = "ignore"
        rows.append(("Language rule", rule))
    return rows


def _zone_rule(asked: float | None, applied: float | None, day: str) -> str:
    if asked is None:
        return "off"
    if applied is None:
        return (
            f"at most {asked:g} hours apart asked; not applied: the roster has no time zone "
            "or location column"
        )
    return f"at most {applied:g} hours apart on {day}"
