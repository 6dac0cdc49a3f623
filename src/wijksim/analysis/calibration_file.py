"""A calibration written as a scenario file: by the YAML library, loaded back
and found valid and as meant before it is put in place, atomically.

Text read from a registration (theme and severity names) is only ever a YAML
key or value, quoted by the library as it needs; comments hold numbers and
fixed words, and names only with control characters escaped. Every share is
rounded so that the shares still add up to 1 (largest remainders), so the
loader's own sum check holds.

Without a base scenario the file is not complete (a registration holds no team):
it is checked by loading it on a scaffold that supplies the team, so that every
value it does hold is known to load.
"""

from __future__ import annotations

import io
import math
import os
import tempfile
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq

from ..experiment.outputs import check_target, write_bytes, write_text
from ..scenario import ScenarioError
from ..scenario.problems import escape_controls
from .registration_csv import name_problem

if TYPE_CHECKING:
    from ..scenario import Scenario
    from .calibration_fits import Fitted

#: Decimals of a written share (severity mix, settled at intake, coming back).
SHARE_DECIMALS = 4
#: Significant digits of written rates, durations and shapes.
DIGITS = 4
#: Longest scenario name.
MAX_NAME = 200


def to_yaml(cal: Fitted, extends: str | None, name: str, base: Scenario | None = None) -> str:
    """The scenario file's text (see :meth:`Calibration.to_yaml`)."""
    return _dump(_document(cal, extends, name, base)[0])


def write_scenario(cal: Fitted, path: str | Path, base: str | Path | None, name: str) -> Path:
    """Write the scenario to ``path`` once it loads back as meant (see
    :meth:`Calibration.write`); the scenario is checked in a file beside
    ``path``, which becomes ``path`` by a rename."""
    path = Path(path)
    refuse_special(path)
    folder = path.absolute().parent
    base_path, scenario = _base(base)
    if base_path is not None and base_path == path.resolve():
        raise ValueError(f"{_shown(path)}: is the base scenario itself: write elsewhere")
    extends = None
    if base_path is not None:
        extends = Path(os.path.relpath(base_path, folder.resolve())).as_posix()
    document, meant = _document(cal, extends, name, scenario)
    folder.mkdir(parents=True, exist_ok=True)
    check = _check_path(folder, path.name)
    write_text(check, _dump(document))
    try:
        _load_back(check, meant, cal, scenario, shown_as=path)
        os.replace(check, path)
    finally:
        check.unlink(missing_ok=True)
    return path


def checked_yaml(cal: Fitted, base: str | Path | None, name: str) -> str:
    """The scenario file's text, checked as :func:`write_scenario` checks it,
    for printing: ``extends`` holds the base's absolute path (the text may be
    saved anywhere)."""
    base_path, scenario = _base(base)
    extends = base_path.as_posix() if base_path is not None else None
    document, meant = _document(cal, extends, name, scenario)
    text = _dump(document)
    with tempfile.TemporaryDirectory(prefix="wijksim-calibrate-") as folder:
        check = Path(folder) / "scenario.yaml"
        write_text(check, text)
        _load_back(check, meant, cal, scenario, shown_as=Path("<stdout>"))
    return text


def refuse_special(path: Path) -> None:
    """Refuse to replace anything but a regular file (a FIFO, a device, a folder,
    a link): an :class:`~wijksim.experiment.outputs.OutputError` naming it."""
    check_target(path)


def write_figure(figure: Any, path: Path) -> None:
    """Save a matplotlib figure as PNG, atomically, only over a regular file."""
    buffer = io.BytesIO()  # matplotlib would open the path itself, following a link
    figure.savefig(buffer, dpi=120, format="png")
    write_bytes(path, buffer.getvalue())


# -- the document ----------------------------------------------------------------------


def _document(
    cal: Fitted, extends: str | None, name: str, base: Scenario | None
) -> tuple[CommentedMap, dict]:
    """The scenario as a commented YAML document, and the plain data it must read back as."""
    problem = name_problem(name) if isinstance(name, str) else "expected text"
    if problem and problem != "starts or ends with a space":
        raise ValueError(f"name: {problem}")
    if len(name) > MAX_NAME:
        raise ValueError(f"name: longer than {MAX_NAME} characters")
    notes = list(cal.notes)
    if base is not None and tuple(base.severities) != tuple(cal.severities):
        raise ValueError(
            f"calibrated for severities {', '.join(map(_text, cal.severities))}; the base"
            f" scenario has {', '.join(map(_text, base.severities))}: calibrate with the base"
        )
    doc = CommentedMap()
    if extends is not None:
        doc["extends"] = extends
    doc["name"] = name
    hood = CommentedMap()
    if cal.residents:
        hood["residents"] = int(cal.residents)
    else:
        hood["residents"] = 1000
        hood.yaml_add_eol_comment("unknown: rates below are the wijk's yearly counts", "residents")
    if cal.settled_at_intake is not None:
        est = cal.settled_at_intake
        hood["settled_at_intake"] = _rounded_share(est.value)
        hood.yaml_add_eol_comment(
            f"± {_se(est.se)} (share of {_text(cal.settled_of)} settled at intake)",
            "settled_at_intake",
        )
    if cal.severity_mix:
        mix = CommentedMap()
        shares = _largest_remainder({s: e.value for s, e in cal.severity_mix.items()})
        for severity, est in cal.severity_mix.items():
            mix[severity] = shares[severity]
            mix.yaml_add_eol_comment(f"± {_se(est.se)}", severity)
        hood["severity_mix"] = mix
    if cal.durations:
        hood["duration"] = _durations(cal)
        hood.yaml_add_eol_comment("censored maximum likelihood, lowest AIC", "duration")
    hood["themes"] = _themes(cal)
    doc["neighbourhood"] = hood
    doc.yaml_set_comment_before_after_key("neighbourhood", before="\n")
    if cal.recurrence is not None and (base is None or base.team.recurrence is not None):
        recurrence = CommentedMap()
        recurrence["probability"] = _rounded_share(cal.recurrence.value)
        recurrence.yaml_add_eol_comment(
            f"± {_se(cal.recurrence.se)} (returning requests per closure)", "probability"
        )
        team = CommentedMap()
        team["recurrence"] = recurrence
        what = "as the base" if base is not None else "add it"
        team.yaml_add_eol_comment(f"delay not in a registration: {what}", "recurrence")
        doc["team"] = team
        doc.yaml_set_comment_before_after_key("team", before="\n")
    if base is not None:
        notes += base_notes(cal, base)
    header = _header(cal, complete=extends is not None, notes=notes)
    doc.yaml_set_start_comment("\n".join(_text(line) for line in header))
    return doc, _plain(doc)


def base_notes(cal: Fitted, base: Scenario) -> list[str]:
    """What the scenario keeps of ``base``, or cannot write on it, unseen otherwise."""
    notes = []
    kept = [t for t in base.neighbourhood.themes if t not in cal.themes]
    if kept:
        notes.append(
            "themes of the base not in the registration keep the base's rates: "
            + ", ".join(map(_text, kept))
        )
    unfitted = [_text(s) for s in cal.unfitted if s in base.severities]
    if unfitted:
        notes.append(f"the base's durations stay for {', '.join(unfitted)}")
    if cal.recurrence is not None and base.team.recurrence is None:
        notes.append(
            f"share coming back ({_se(cal.recurrence.value)}) not written: the base has"
            " no team.recurrence, and its delay is not in a registration"
        )
    return notes


def _header(cal: Fitted, *, complete: bool, notes: list[str]) -> list[str]:
    w = cal.waits
    lines = [
        f"Calibrated from {Path(cal.source).name}: {cal.first_day} to {cal.last_day}"
        f" ({cal.years:.1f} years).",
        "Aggregates only. Every fitted value carries its standard error (±) in a comment.",
        "Observed waits (an outcome to compare a run with, not an input):",
    ]
    if w["taken_in"]:
        lines.append(
            f"  taken in {w['taken_in']:.0f}, mean {w['mean_weeks']:.2f} weeks, median"
            f" {w['median_weeks']:.2f}, p90 {w['p90_weeks']:.2f}, over 6 weeks"
            f" {w['share_over_6_weeks']:.1%}"
        )
    else:
        lines.append("  nobody taken in during the period")
    lines.append(
        f"  still waiting at the export {w['waiting_at_export']:.0f},"
        f" gave up waiting {w['gave_up']:.0f}"
    )
    if not complete:
        lines += [
            "Not complete on its own: team size, caseload ceiling, case weights and",
            "contact hours are not in a registration; add them or use --extends.",
        ]
    lines += [f"Note: {note}" for note in notes]
    return lines


def _durations(cal: Fitted) -> CommentedMap:
    fits = cal.durations
    if list(fits) == ["all"]:
        fits = dict.fromkeys(cal.severities, fits["all"])
    out = CommentedMap()
    for severity, fit in fits.items():
        value = CommentedMap(dist=fit.dist)
        for key, est in _written_params(fit).items():
            value[key] = est
        value.fa.set_flow_style()
        out[severity] = value
        aic = ", ".join(f"{k} {v:.1f}" for k, v in fit.aic.items())
        out.yaml_set_comment_before_after_key(
            severity, before=f"{fit.closed} closed, {fit.open} open; AIC: {aic}", indent=4
        )
        errors = ", ".join(f"{k} ± {_se(e.se)}" for k, e in fit.params.items())
        out.yaml_add_eol_comment(errors, severity)
    return out


def _written_params(fit: Any) -> dict[str, float | str]:
    """Parameters as a scenario takes them: durations in weeks, with enough
    digits that a lognormal's p90 stays above its median."""
    for digits in range(DIGITS, 18):
        values = {k: _round(e.value, digits) for k, e in fit.params.items()}
        if fit.dist != "lognormal" or values["p90"] > values["median"]:
            break
    return {k: v if k == "shape" else f"{_positional(v)} weeks" for k, v in values.items()}


def _themes(cal: Fitted) -> CommentedMap:
    themes = CommentedMap()
    for theme, fit in cal.themes.items():
        entry = CommentedMap()
        rate = fit.requests_per_1000
        entry["requests_per_1000"] = _round(rate.value, DIGITS)
        entry.yaml_add_eol_comment(
            f"± {_se(rate.se)} ({fit.new_requests} new requests)", "requests_per_1000"
        )
        if fit.monthly_profile:
            profile = CommentedSeq(round(float(e.value), 3) for e in fit.monthly_profile)
            profile.fa.set_flow_style()
            entry["monthly_profile"] = profile
            errors = ", ".join(_se(e.se, 2) for e in fit.monthly_profile)
            entry.yaml_set_comment_before_after_key(
                "monthly_profile",
                before=f"months differ (chi-square p = {fit.flat_p_value:.2g}); ± [{errors}]",
                indent=6,
            )
        elif not math.isnan(fit.flat_p_value):
            entry.yaml_set_comment_before_after_key(
                "requests_per_1000",
                before=f"months do not differ (chi-square p = {fit.flat_p_value:.2g}): flat",
                indent=6,
            )
        themes[theme] = entry
    return themes


def _largest_remainder(shares: dict[str, float]) -> dict[str, float]:
    """Shares rounded to :data:`SHARE_DECIMALS` that add up to exactly one unit
    of rounding: each gets its floor, and the units left over go to the largest
    remainders (ties to the first)."""
    unit = 10**SHARE_DECIMALS
    total = sum(shares.values())
    exact = {k: v / total * unit for k, v in shares.items()}
    floors = {k: math.floor(v) for k, v in exact.items()}
    left = unit - sum(floors.values())
    for k in sorted(exact, key=lambda k: floors[k] - exact[k])[:left]:
        floors[k] += 1
    return {k: v / unit for k, v in floors.items()}


def _rounded_share(value: float) -> float:
    return min(1.0, max(0.0, round(float(value), SHARE_DECIMALS)))


def _round(value: float, digits: int) -> float:
    return float(f"{value:.{digits}g}")


def _positional(value: float) -> str:
    """A number without an exponent (``0.00123``, ``1235``): durations read it."""
    return np.format_float_positional(value, trim="-")


def _se(value: float, digits: int = 3) -> str:
    return f"{value:.{digits}g}" if math.isfinite(value) else "–"


def _text(name: object) -> str:
    """A name as a comment or message may hold it: control characters escaped."""
    return escape_controls(str(name))


def _plain(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def _dump(document: CommentedMap) -> str:
    yaml = YAML(typ="rt")
    yaml.width = 4096  # one value a line, however long a theme's name
    buffer = io.StringIO()
    yaml.dump(document, buffer)
    return buffer.getvalue()


# -- loading it back ---------------------------------------------------------------------


def _base(base: str | Path | None) -> tuple[Path | None, Scenario | None]:
    if base is None:
        return None, None
    from ..scenario import load_scenario

    return Path(base).resolve(), load_scenario(base)


def _check_path(folder: Path, name: str) -> Path:
    handle, path = tempfile.mkstemp(prefix=f".{name}.", suffix=".check.yaml", dir=folder)
    os.close(handle)
    return Path(path)


def _load_back(
    check: Path, meant: dict, cal: Fitted, base: Scenario | None, shown_as: Path
) -> None:
    """Load ``check`` as a scenario (on a scaffold without a base); refuse it
    unless it loads and holds exactly ``meant``."""
    from ..scenario.loading import deep_merge, load_scenario, read_yaml, validate

    try:
        data, positions = read_yaml(check)
        if data != meant:
            raise ValueError(
                f"{_shown(shown_as)}: the scenario would not read back as written (a wijksim"
                " bug; please report it): nothing written"
            )
        if base is not None:
            load_scenario(check)
        else:
            validate(deep_merge(_scaffold(cal, data), data), positions, str(check))
    except ScenarioError as exc:
        problems = [
            replace(p, source=str(shown_as)) if p.source == str(check) else p for p in exc.problems
        ]
        raise ScenarioError(problems) from None


def _scaffold(cal: Fitted, data: dict) -> dict:
    """What a registration does not hold, for checking a scenario without a base."""
    severities = list(cal.severities)
    team: dict[str, Any] = {
        "fte": 1,
        "caseload_ceiling_per_fte": 1,
        "case_weight": dict.fromkeys(severities, 1),
        "contact_hours_per_week": dict.fromkeys(severities, 1),
    }
    if "team" in data:
        team["recurrence"] = {"delay": "1 year"}
    return {
        "horizon": "1 year",
        "team": team,
        "neighbourhood": {
            "severity_mix": {s: float(i == 0) for i, s in enumerate(severities)},
            "duration": dict.fromkeys(severities, "1 week"),
        },
    }


def _shown(path: Path) -> str:
    return escape_controls(str(path))


__all__ = [
    "base_notes",
    "checked_yaml",
    "refuse_special",
    "to_yaml",
    "write_figure",
    "write_scenario",
]
