"""What the ``wijksim`` commands say about their results, in Dutch and English.

One table for every sentence and column heading a command prints (the names
of figures, payers and units are in :mod:`wijksim.report.labels` and
:mod:`wijksim.report.text`, shared with the report). Help, errors and warnings
are not here: they stay English whatever ``--lang`` (see
:data:`wijksim.cli.common.lang_option`).

Kept light, like the rest of the command line: no pandas.
"""

from __future__ import annotations

from ..report.labels import Label
from ..report.text import language

WORDS: dict[str, Label] = {
    # where results went
    "csv_written": Label("CSV-bestanden geschreven naar {path}/", "CSV files written to {path}/"),
    "results_written": Label("Resultaten geschreven naar {path}/", "Results written to {path}/"),
    "report_written": Label("Rapport: {path}", "Report: {path}"),
    "valid": Label("in orde", "ok"),
    "fit_written": Label(
        "{path} geschreven; looptijden gefit: {plot}", "{path} written; durations fitted: {plot}"
    ),
    "nothing_fitted": Label(
        "{path} geschreven; geen looptijd gefit", "{path} written; no duration fitted"
    ),
    "calibrated_name": Label("Mijn wijk (gekalibreerd)", "My wijk (calibrated)"),
    # progress bars
    "pilot": Label("proef", "pilot"),
    # table headings
    "baseline": Label("basis", "baseline"),
    "alternative": Label("alternatief", "alternative"),
    "difference": Label("verschil", "difference"),
    "ci_difference": Label("95%-BI verschil", "95% CI difference"),
    "unit": Label("eenheid", "unit"),
    "point": Label("punt", "point"),
    "mean": Label("gemiddelde", "mean"),
    "ci": Label("95%-BI", "95% CI"),
    "now_pm": Label("nu ±", "now ±"),
    "target_pm": Label("doel ±", "target ±"),
    "needed": Label("nodig", "needed"),
    "now": Label("nu", "now"),
    "target": Label("doel", "target"),
    "reached": Label("bereikt", "reached"),
    "series": Label("reeks", "series"),
    "method": Label("methode", "method"),
    "weeks": Label("weken", "weeks"),
    # compare
    "relief_title": Label(
        "Ontlasting: {alternative} t.o.v. {baseline} — {n} replicaties, seed {seed}, "
        "95%-BI ({pairing})",
        "Relief: {alternative} against {baseline} — {n} replications, seed {seed}, "
        "95% CI ({pairing})",
    ),
    "paired": Label("gepaard, common random numbers", "paired, common random numbers"),
    "unpaired": Label("ongepaard", "unpaired"),
    "precision_title": Label(
        "Precisie van de kerncijfers — {n} replicaties",
        "Precision of the headline figures — {n} replications",
    ),
    "until_precision": Label(
        "--until-precision voegt replicaties toe tot de precisie bereikt is.",
        "--until-precision adds replications until the precision is reached.",
    ),
    # sweep
    "sweep_title": Label(
        "{label} ({unit}) — {n} replicaties, seed {seed}, 95%-BI",
        "{label} ({unit}) — {n} replications, seed {seed}, 95% CI",
    ),
    # warmup
    "warmup_title": Label(
        "Inloopperiode: {scenario} — {n} proefruns, venster {window} weken",
        "Warm-up: {scenario} — {n} pilot runs, window {window} weeks",
    ),
    "judged": Label("Beoordeeld: {what}.", "Judged: {what}."),
    "judged_as_is": Label(
        "het scenario zoals het is, met voorzieningen en geplande veranderingen",
        "the scenario as it is, with its provisions and planned changes",
    ),
    "judged_held_still": Label(
        "het team zoals het begint, zonder voorzieningen, trends, schokken of aanbestedingen",
        "the team as it starts, without provisions, trends, shocks or tenders",
    ),
    # the verdicts: what a row's "settled" flag means for each method (see
    # wijksim.analysis.warmup: WelchResult.settled, MserResult.settled)
    "welch_late": Label(
        "komt laat tot rust: pas in het laatste kwart van de run binnen de band; kies een "
        "langere horizon",
        "settles late: inside the band only in the last quarter of the run; choose a longer "
        "horizon",
    ),
    "mser_late": Label(
        "komt laat tot rust: MSER-5 kapt het meeste af dat het mag (de helft van de run); "
        "kies een langere horizon",
        "settles late: MSER-5 cuts the most it may (half the run); choose a longer horizon",
    ),
    "mser_drift": Label(
        "MSER-5 zelf kapt {detected} weken af, het meeste dat het mag (de helft van de "
        "run); vanaf week {weeks} schuift de reeks alleen nog, binnen {tolerance} van haar "
        "niveau of de ruis: geen opstarteffect",
        "MSER-5's own cut, {detected} weeks, is the most it may make (half the run); from "
        "week {weeks} on the series only drifts, within {tolerance} of its level or the "
        "noise: no start-up effect",
    ),
    "advice_none": Label(
        "Advies: geen inloop nodig: het team begint op het niveau waar het tot rust komt",
        "Advice: no warm-up needed: the team starts at the level it settles at",
    ),
    "advice_weeks": Label(
        "Advies: een inloop van minstens {weeks} weken",
        "Advice: a warm-up of at least {weeks} weeks",
    ),
    "current_warmup": Label(
        "(nu in het scenario: {weeks} weken).", "(now in the scenario: {weeks} weeks)."
    ),
    "no_warmup_note": Label(
        "Zonder inloop volgt het scenario de weg vanaf de toestand van vandaag; het advies "
        "geldt voor wie de toestand wil meten waarin het team tot rust komt.",
        "Without a warm-up the scenario follows the path from today's state; the advice is "
        "for measuring the state the team settles into.",
    ),
    # replications
    "paired_replications_title": Label(
        "Aantal replicaties voor de verschillen met {baseline} (gepaard) — proef van {pilot}, "
        "doel ±{precision} van het verschil of binnen de tolerantie (95%-BI)",
        "Replications for the differences from {baseline} (paired) — pilot of {pilot}, "
        "target ±{precision} of the difference or within the tolerance (95% CI)",
    ),
    "no_paired_advice": Label(
        "Geen advies: geen enkel kerncijfer kan het zeggen.",
        "No advice: no headline figure can tell.",
    ),
    "paired_advice": Label(
        "Advies voor de vergelijking: minstens {n} replicaties (een schatting uit de proef; "
        "compare --until-precision loopt door tot het doel).",
        "Advice for the comparison: at least {n} replications (an estimate from the pilot; "
        "compare --until-precision runs on until the target).",
    ),
    "one_replications_title": Label(
        "Aantal replicaties voor het gemiddelde van één scenario: {scenario} — proef van "
        "{pilot}, doel ±{precision} (95%-BI)",
        "Replications for the mean of one scenario: {scenario} — pilot of {pilot}, target "
        "±{precision} (95% CI)",
    ),
    "no_one_advice": Label(
        "Geen advies: geen enkele figuur heeft een gemiddelde ongelijk aan nul.",
        "No advice: no figure has a mean other than zero.",
    ),
    "one_advice": Label(
        "Advies voor het gemiddelde: minstens {n} replicaties.",
        "Advice for the mean: at least {n} replications.",
    ),
    "one_note": Label(
        "Dit advies geldt voor het absolute gemiddelde van één scenario. Een vergelijking "
        "toont verschillen, die gepaard meestal veel minder nodig hebben: geef de "
        "alternatieven erbij (wijksim replications BASIS ALTERNATIEF ...).",
        "This advice is for the absolute mean of one scenario. A comparison shows "
        "differences, which paired usually need far fewer: give the alternatives too "
        "(wijksim replications BASELINE ALTERNATIVE ...).",
    ),
    # breakeven
    "breakeven_title": Label(
        "Break-even: {name} ({n} replicaties)", "Break-even: {name} ({n} replications)"
    ),
    "npv": Label("NCW", "NPV"),
    "benefit_per_euro": Label("baten/euro", "benefit/euro"),
    "no_breakeven": Label(
        "Geen break-even tussen {low}× en {high}× het aangenomen effect.",
        "No break-even between {low}× and {high}× the assumed effect.",
    ),
    "breakeven_at_or_below": Label(
        "Break-even bij {scale}× het aangenomen effect of lager: het saldo is al bij de"
        " kleinste schaal niet negatief (kies kleinere schalen om het te vinden).",
        "Break-even at {scale}× the assumed effect or below: the balance is not negative"
        " even at the smallest scale (run smaller scales to find it).",
    ),
    "breakeven_capped": Label(
        "Vanaf {scale}× is een aandeel van het effect afgekapt op 100%: grotere schalen"
        " zijn daar geen sterker effect.",
        "From {scale}× on a share of the effect is capped at 100%: larger scales are no"
        " stronger effect there.",
    ),
    "breakeven_at": Label(
        "Break-even bij {scale}× het aangenomen effect (95%-marge [{low}; {high}]).",
        "Break-even at {scale}× the assumed effect (95% range [{low}; {high}]).",
    ),
    # the social balance (compare)
    "value_title": Label(
        "Maatschappelijke kosten en baten (contante waarde, discontovoet {rate}) — 95%-BI",
        "Social costs and benefits (present value, discount rate {rate}) — 95% CI",
    ),
    "social_balance": Label("Maatschappelijk saldo", "Social balance"),
    "net_without_freed_hours": Label("  zonder teamuren", "  without team hours"),
    "ratio": Label("Baten per euro", "Benefit per euro"),
    "p_positive": Label("Kans op positief saldo", "Chance of a positive balance"),
    "residual": Label("Na de looptijd (restwaarde)", "After the horizon (residual)"),
    "counted": Label("meegeteld", "counted"),
    "not_counted": Label("niet meegeteld", "not counted"),
    "who_pays": Label("Wie betaalt, wie wint", "Who pays, who gains"),
    "by_year_title": Label(
        "Ontlasting per jaar: {alternative} t.o.v. {baseline} (verschil, 95%-BI)",
        "Relief per year: {alternative} against {baseline} (difference, 95% CI)",
    ),
    "year": Label("jaar", "year"),
}


def say(key: str, lang: str, **fields: object) -> str:
    """The sentence ``key`` in ``lang`` with ``fields`` filled in (text from
    files goes in as a field, never into the template)."""
    return WORDS[key].text(language(lang)).format(**fields)


__all__ = ["WORDS", "say"]
