"""The advice in words, tables and a plot, in Dutch or English: what the
command line prints for ``wijksim advise`` and the report it writes
(``--report advies.html``, or ``.md``).

One place for the words of both: the advice in one sentence
(:func:`sentence`), the guarantee and its limits (:func:`guarantee`), the good
set and the frontier as rows (:func:`good_rows`, :func:`frontier_rows`), and the
frontier plot (:func:`frontier_figure`). Numbers are written as the language
writes them (:mod:`wijksim.report.text`).
"""

from __future__ import annotations

import base64
import io
import math
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .labels import Label, Language, unit_text
from .text import difference_unit, euro, figure, language, metric_label, number

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from ..analysis.advice import Advice

#: The words of the advice.
WORDS: dict[str, Label] = {
    "title": Label("Advies: wat te financieren", "Advice: what to fund"),
    "recommended": Label("Aanbevolen", "Recommended"),
    "none_fits": Label(
        "Geen portefeuille voldoet aan het budget en de voorwaarden.",
        "No portfolio meets the budget and the constraints.",
    ),
    "cheapest": Label(
        "De goedkoopste die is doorgerekend, {label}, kost {cost} per jaar.",
        "The cheapest that was run, {label}, costs {cost} a year.",
    ),
    "costs": Label("kosten {cost} per jaar", "costs {cost} a year"),
    "balance": Label("maatschappelijk saldo {net}", "social balance {net}"),
    "good_set": Label("De goede set", "The good set"),
    "good_set_intro": Label(
        "Portefeuilles die niet van de beste te onderscheiden zijn bij δ = {delta}: geen "
        "andere binnen budget en voorwaarden is aantoonbaar meer dan δ beter. De raad kan "
        "hieruit kiezen op andere gronden.",
        "Portfolios that cannot be told apart from the best at δ = {delta}: no other within "
        "the budget and constraints is shown to be more than δ better. A council can choose "
        "among them on other grounds.",
    ),
    "frontier": Label(
        "Kosten en verlichting: de efficiënte grens", "Cost and relief: the frontier"
    ),
    "frontier_intro": Label(
        "Van goedkoop naar duur: elke portefeuille op de grens doet het beter dan alle "
        "goedkopere. Verlichting per € 10.000 per jaar: de verbetering ten opzichte van de "
        "vorige, gedeeld door de extra kosten (puntschattingen).",
        "From cheap to dear: each portfolio on the frontier does better than every cheaper "
        "one. Relief per €10,000 a year: the improvement over the previous one divided by "
        "the extra cost (point estimates).",
    ),
    "entering": Label(
        "Bij een groeiend budget komt als eerste {first} erbij{rest}.",
        "As the budget grows, {first} enters first{rest}.",
    ),
    "then": Label(", daarna {names}", ", then {names}"),
    "nothing_enters": Label(
        "Geen duurdere portefeuille doet het beter dan de goedkoopste.",
        "No dearer portfolio does better than the cheapest.",
    ),
    "no_frontier": Label(
        "Geen doorgerekende portefeuille voldoet aan de voorwaarden: er is geen grens.",
        "No portfolio that was run meets the constraints: there is no frontier.",
    ),
    "method": Label("Methode", "Method"),
    "portfolio": Label("Portefeuille", "Portfolio"),
    "cost_per_year": Label("Kosten per jaar", "Cost a year"),
    "net": Label("Saldo (contante waarde)", "Balance (present value)"),
    "relief_per_10k": Label("Verlichting per € 10.000", "Relief per €10,000"),
    "changes": Label("Verandering", "Change"),
    "versus": Label(
        "Verschil met de aanbevolen (gelijktijdig interval)",
        "Difference from the recommended (simultaneous interval)",
    ),
    "replications": Label("Replicaties", "Replications"),
    "over_budget": Label("boven budget", "over budget"),
    "score": Label("Score", "Score"),
    "guaranteed": Label(
        "Als de beste portefeuille binnen budget en voorwaarden minstens δ = {delta} beter "
        "is dan elke andere, kiest {procedure} hem met een kans van minstens {confidence} "
        "(bij uitkomsten die per replicatie normaal verdeeld zijn{asymptotic}). Verschillen "
        "kleiner dan δ doen er bij deze keuze niet toe: die portefeuilles staan in de goede set.",
        "If the best portfolio within the budget and constraints is at least δ = {delta} "
        "better than every other, {procedure} selects it with a probability of at least "
        "{confidence} (for outputs normal per replication{asymptotic}). Differences smaller "
        "than δ do not matter to this choice: those portfolios are in the good set.",
    ),
    "asymptotic": Label("; voor KN++ naarmate δ klein is", "; for KN++ as δ is small"),
    "limits_guarantee": Label(
        "Budget en voorwaarden zijn getoetst zoals Andradóttir & Kim (2010) doen, met de "
        "tolerantie van elk: een gemiddelde binnen de tolerantie van de grens mag beide "
        "kanten op vallen.",
        "The budget and constraints were checked as Andradóttir & Kim (2010) do, each with "
        "its tolerance: a mean within the tolerance of its bound may count either way.",
    ),
    "not_guaranteed": Label(
        "Zonder de garantie van de procedure: {why}",
        "Without the procedure's guarantee: {why}",
    ),
    "capped": Label(
        "gestopt bij max_replications ({max}) met {left} portefeuilles nog in de race; "
        "daaruit is het beste gemiddelde gekozen.",
        "stopped at max_replications ({max}) with {left} portfolios in contention; the best "
        "mean among them was chosen.",
    ),
    "cut": Label(
        "na de screening gingen alleen de {most} beste door op hun eerste gemiddelden; de "
        "garantie geldt ten opzichte van die portefeuilles.",
        "after screening only the {most} best by their first means went on; the guarantee "
        "holds relative to those portfolios.",
    ),
    "ocba": Label(
        "OCBA (Chen e.a. 2000) verdeelt een vast aantal replicaties ({total}) zo dat de "
        "kans op een juiste keuze zo groot mogelijk is; het garandeert niets. Geschatte kans "
        "op een juiste keuze: {pcs}.",
        "OCBA (Chen et al. 2000) spreads a fixed number of replications ({total}) so as to "
        "make a correct selection most likely; it guarantees nothing. Estimated chance of a "
        "correct selection: {pcs}.",
    ),
    "screened": Label(
        "Het menu is na de eerste ronde gescreend: {kept} van {of} portefeuilles gingen door.",
        "The menu was screened after the first stage: {kept} of {of} portfolios went on.",
    ),
    "spent": Label(
        "{procedure}, α = {alpha}, δ = {delta}; {spent} replicaties voor {run} van {total} "
        "portefeuilles ({left_out} vielen af op hun vaste kosten alleen); seed {seed}.",
        "{procedure}, α = {alpha}, δ = {delta}; {spent} replications of {run} of {total} "
        "portfolios ({left_out} left out on their fixed costs alone); seed {seed}.",
    ),
    "limits": Label("Budget en voorwaarden: {limits}.", "Budget and constraints: {limits}."),
    "at_most": Label("hoogstens", "at most"),
    "at_least": Label("minstens", "at least"),
    "tolerance": Label("tolerantie", "tolerance"),
    "plot_cost": Label("Kosten per jaar (euro)", "Cost a year (euro)"),
    "plot_others": Label("doorgerekende portefeuilles", "portfolios run"),
    "plot_frontier": Label("efficiënte grens", "frontier"),
    "plot_good": Label("goede set", "good set"),
    "plot_budget": Label("budget", "budget"),
    "all_portfolios": Label("Alle portefeuilles", "All portfolios"),
    "status": Label("Uitkomst", "Outcome"),
    "selected": Label("aanbevolen", "recommended"),
    "eliminated": Label("afgevallen", "eliminated"),
    "outside": Label("buiten budget of voorwaarde", "outside budget or constraint"),
    "screened_out": Label("weggescreend", "screened out"),
    "left": Label("nog in de race", "in contention"),
    "stopped": Label("niet gekozen", "not chosen"),
    "over budget": Label("boven budget (vaste kosten)", "over budget (fixed costs)"),
}

#: Names of the procedures, with their source.
PROCEDURES = {
    "kn++": "KN++ (Kim & Nelson 2006)",
    "kn": "KN (Kim & Nelson 2001)",
    "ocba": "OCBA (Chen et al. 2000)",
}


def say(key: str, lang: str, **values: Any) -> str:
    """A sentence of the advice in ``lang``, with ``values`` filled in."""
    return WORDS[key].text(language(lang)).format(**values)


def objective_name(advice: Advice, lang: str) -> tuple[str, str]:
    """The objective's name and unit key: a figure's label, or a score."""
    figure_name = advice.decision.objective.figure
    if figure_name is None:
        return say("score", lang), "count"
    from ..scenario.decision import FIGURES

    return metric_label(figure_name, lang)[0], FIGURES[figure_name].unit


def _value(value: float, unit: str, lang: str) -> str:
    return figure(value, unit, lang)


def _interval(low: float, high: float, unit: str, lang: str) -> str:
    if math.isnan(low) or math.isnan(high):
        return "–"
    return f"[{figure(low, unit, lang)}; {figure(high, unit, lang)}]"


def delta_text(advice: Advice, lang: str) -> str:
    """δ in the objective's unit (a share's δ in percentage points)."""
    _, unit = objective_name(advice, lang)
    return figure(advice.settings.delta, difference_unit(unit), lang)


def sentence(advice: Advice, lang: str = "nl") -> str:
    """The advice in one sentence: the recommended portfolio with its objective,
    cost and balance; or that none fits, with the cheapest run."""
    chosen = advice.recommended
    if chosen is None:
        text = say("none_fits", lang)
        cheapest = advice.cheapest
        if cheapest is not None:
            cost = euro(cheapest["cost_per_year"], lang)
            text += " " + say("cheapest", lang, label=cheapest["label"], cost=cost)
        return text
    name, unit = objective_name(advice, lang)
    parts = [
        f"{name} {_value(chosen['objective'], unit, lang)} "
        f"{_interval(chosen['objective_low'], chosen['objective_high'], unit, lang)}",
        say("costs", lang, cost=euro(chosen["cost_per_year"], lang)),
    ]
    if "net" in chosen and not _missing(chosen["net"]):
        parts.append(say("balance", lang, net=euro(chosen["net"], lang)))
    return f"{say('recommended', lang)}: {chosen['label']} — " + ", ".join(parts) + "."


def _missing(value: Any) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def guarantee(advice: Advice, lang: str = "nl") -> list[str]:
    """What is guaranteed, and what is not, in words (a paragraph each)."""
    method = advice.method()
    out = []
    procedure = PROCEDURES[method["procedure"]]
    for note in method.get("notes", []):
        if note["code"] == "screened":
            out.append(say("screened", lang, kept=note["kept"], of=note["of"]))
    if advice.guaranteed:
        confidence = f"{number(100 * (1 - method['alpha']), lang, 0)}%"
        out.append(
            say(
                "guaranteed",
                lang,
                delta=delta_text(advice, lang),
                procedure=procedure,
                confidence=confidence,
                asymptotic=say("asymptotic", lang) if method["procedure"] == "kn++" else "",
            )
        )
        if method["limits"]:
            out.append(say("limits_guarantee", lang))
    reasons = []
    for note in method.get("notes", []):
        code = note["code"]
        if code == "capped":
            reasons.append(say("capped", lang, max=note["max"], left=note["left"]))
        elif code == "cut":
            reasons.append(say("cut", lang, most=note["most"]))
        elif code == "ocba":
            pcs = method.get("pcs_estimate")
            shown = "–" if pcs is None else f"{number(100 * pcs, lang, 1)}%"
            reasons.append(say("ocba", lang, total=note["total"], pcs=shown))
    if reasons and not advice.guaranteed:
        out.append(say("not_guaranteed", lang, why=" ".join(reasons)))
    elif reasons:
        out.extend(reasons)
    return out


def method_line(advice: Advice, lang: str = "nl") -> str:
    """The procedure, its settings and what it spent, in one line."""
    method = advice.method()
    line = say(
        "spent",
        lang,
        procedure=PROCEDURES[method["procedure"]],
        alpha=number(method["alpha"], lang, 2),
        delta=delta_text(advice, lang),
        spent=number(method["replications"], lang, 0),
        run=method["run"],
        total=method["portfolios"],
        left_out=method["left_out_by_budget"],
        seed=method["seed"],
    )
    limits = [_limit_text(limit, lang) for limit in method["limits"]]
    if limits:
        line += " " + say("limits", lang, limits="; ".join(limits))
    return line


def _limit_text(limit: dict[str, Any], lang: str) -> str:
    from ..scenario.decision import FIGURES

    name = metric_label(limit["figure"], lang)[0]
    if limit["figure"] in ("net", "cost_per_year", "cost_total"):
        name = {
            "net": say("net", lang),
            "cost_per_year": say("cost_per_year", lang),
            "cost_total": name,
        }[limit["figure"]]
    unit = FIGURES[limit["figure"]].unit
    side = say("at_most" if limit["upper"] else "at_least", lang)
    bound = figure(limit["bound"], unit, lang)
    tolerance = figure(limit["tolerance"], difference_unit(unit), lang)
    return f"{name} {side} {bound} ({say('tolerance', lang)} {tolerance})"


def entering_text(advice: Advice, lang: str = "nl") -> str:
    """Which choice enters first as the budget grows, and then which."""
    if advice.frontier.empty:
        return say("no_frontier", lang)
    names = advice.entering
    if not names:
        return say("nothing_enters", lang)
    rest = say("then", lang, names=", ".join(names[1:])) if len(names) > 1 else ""
    return say("entering", lang, first=names[0], rest=rest)


def good_rows(advice: Advice, lang: str = "nl") -> list[dict[str, str]]:
    """The good set as table rows (best mean first)."""
    _, unit = objective_name(advice, lang)
    rows = []
    for row in advice.good.to_dict(orient="records"):
        rows.append(
            {
                "label": row["label"],
                "recommended": bool(row["recommended"]),
                "objective": _value(row["objective"], unit, lang),
                "interval": _interval(row["objective_low"], row["objective_high"], unit, lang),
                "versus": "" if row["recommended"] else _versus(row, unit, lang),
                "cost": euro(row["cost_per_year"], lang),
                "net": euro(row["net"], lang) if "net" in row else "",
                "replications": str(row["replications"]),
            }
        )
    return rows


def _versus(row: dict[str, Any], unit: str, lang: str) -> str:
    """The paired difference from the recommended portfolio, with its
    simultaneous interval (the unit once, after it)."""
    if _missing(row["versus"]):
        return "–"
    values = (row["versus"], row["versus_low"], row["versus_high"])
    if unit == "share":  # percentage points
        mean, low, high = (number(100 * v, lang, 1) for v in values)
        mean = mean if values[0] <= 0 or mean.strip("0,.") == "" else f"+{mean}"
        return f"{mean} [{low}; {high}] {unit_text('pp', language(lang))}"
    change = difference_unit(unit)
    mean = figure(values[0], change, lang, signed=True)
    return f"{mean} [{figure(values[1], change, lang)}; {figure(values[2], change, lang)}]"


def frontier_rows(advice: Advice, lang: str = "nl") -> list[dict[str, str]]:
    """The frontier as table rows (cheapest first)."""
    _, unit = objective_name(advice, lang)
    rows = []
    for row in advice.frontier.to_dict(orient="records"):
        relief = row["relief_per_10k"]
        rows.append(
            {
                "label": row["label"],
                "cost": euro(row["cost_per_year"], lang),
                "objective": _value(row["objective"], unit, lang),
                "interval": _interval(row["objective_low"], row["objective_high"], unit, lang),
                "relief": "" if _missing(relief) else figure(relief, difference_unit(unit), lang),
                "changes": "; ".join(row["changes"]),
                "over_budget": bool(row["over_budget"]),
            }
        )
    return rows


def portfolio_rows(advice: Advice, lang: str = "nl") -> list[dict[str, str]]:
    """Every portfolio as a table row, best mean first (those not run last)."""
    _, unit = objective_name(advice, lang)
    sign = 1.0 if advice.decision.objective.goal == "minimise" else -1.0
    table = advice.table.assign(_order=lambda t: sign * t["objective"])
    table = table.sort_values(["_order", "key"], na_position="last")
    rows = []
    for row in table.to_dict(orient="records"):
        status = "screened_out" if row["status"] == "screened" else row["status"]
        rows.append(
            {
                "label": row["label"],
                "status": say(status, lang),
                "objective": _value(row["objective"], unit, lang),
                "interval": _interval(row["objective_low"], row["objective_high"], unit, lang),
                "cost": euro(row["cost_per_year"], lang),
                "net": euro(row["net"], lang) if "net" in row else "",
                "replications": str(row["replications"]),
                "good": bool(row["good"]),
            }
        )
    return rows


# -- the plot ---------------------------------------------------------------------------


def frontier_figure(advice: Advice, lang: str = "nl") -> Figure:
    """Cost a year against the objective: every portfolio run (grey, with its
    interval), the frontier (a line), the good set and the recommendation
    (marked), and the budget (a vertical line)."""
    import matplotlib.pyplot as plt

    name, unit = objective_name(advice, lang)
    scale = 100.0 if unit == "share" else 1.0
    table = advice.table[advice.table["replications"] > 0]
    fig, ax = plt.subplots(figsize=(7.5, 5.0), layout="constrained")
    ax.errorbar(
        table["cost_per_year"],
        scale * table["objective"],
        yerr=[
            scale * (table["objective"] - table["objective_low"]).fillna(0.0),
            scale * (table["objective_high"] - table["objective"]).fillna(0.0),
        ],
        fmt="o",
        color="#9aa5b1",
        ecolor="#d0d6dc",
        markersize=4,
        label=say("plot_others", lang),
        zorder=1,
    )
    front = advice.frontier
    if not front.empty:
        ax.plot(
            front["cost_per_year"],
            scale * front["objective"],
            "-",
            drawstyle="steps-post",
            color="#0072B2",
            label=say("plot_frontier", lang),
            zorder=2,
        )
    good = advice.good
    if not good.empty:
        ax.scatter(
            good["cost_per_year"],
            scale * good["objective"],
            s=46,
            facecolors="none",
            edgecolors="#009E73",
            linewidths=1.6,
            label=say("plot_good", lang),
            zorder=3,
        )
    chosen = advice.recommended
    if chosen is not None:
        ax.scatter(
            [chosen["cost_per_year"]],
            [scale * chosen["objective"]],
            marker="*",
            s=220,
            color="#D55E00",
            label=f"{say('recommended', lang)}: {_short(chosen['label'])}",
            zorder=4,
        )
    budget = advice.decision.budget
    dearest = max(1.0, float(table["cost_per_year"].max() or 0.0))
    if budget is not None and budget.per_year is not None and budget.per_year <= 1.5 * dearest:
        ax.axvline(budget.per_year, color="#5b6673", linestyle="--", linewidth=1)
        ax.text(budget.per_year, ax.get_ylim()[1], f" {say('plot_budget', lang)}", va="top")
    ax.set_xlabel(say("plot_cost", lang))
    ax.set_ylabel(f"{name} (%)" if unit == "share" else name)
    ax.xaxis.set_major_formatter(plt.FuncFormatter(lambda v, _: number(v, lang, 0)))
    ax.grid(True, color="#eef1f4")
    fig.legend(loc="outside lower center", ncols=2, fontsize=8, frameon=False)
    return fig


def _short(label: str, most: int = 48) -> str:
    return label if len(label) <= most else label[: most - 1] + "…"


# -- the report ---------------------------------------------------------------------------


def context(advice: Advice, lang: Language = "nl", *, image: str = "") -> dict[str, Any]:
    """What the templates show."""
    name, unit = objective_name(advice, lang)
    return {
        "lang": lang,
        "words": {key: label.text(lang) for key, label in WORDS.items()},
        "title": say("title", lang),
        "scenario": advice.scenario.name,
        "question": advice.decision.question.strip(),
        "sentence": sentence(advice, lang),
        "guarantee": guarantee(advice, lang),
        "method": method_line(advice, lang),
        "entering": entering_text(advice, lang),
        "good_intro": say("good_set_intro", lang, delta=delta_text(advice, lang)),
        "good": good_rows(advice, lang),
        "frontier": frontier_rows(advice, lang),
        "portfolios": portfolio_rows(advice, lang),
        "objective": name,
        "unit": unit,
        "net": "net" in advice.table.columns,
        "image": image,
        "source": advice.source or "",
    }


def write_report(advice: Advice, path: str | Path, lang: Language = "nl") -> Path:
    """Write the advice report to ``path`` (``.html``: self-contained, the plot
    embedded; ``.md``: Markdown with the plot in a folder beside it)."""
    import jinja2
    import matplotlib.pyplot as plt

    from ..experiment.outputs import check_target, write_bytes, write_text
    from . import markdown

    path = Path(path)
    check_target(path)
    kind = "md" if path.suffix.lower() in (".md", ".markdown") else "html"
    fig = frontier_figure(advice, lang)
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=110, metadata={"Software": None})
    plt.close(fig)
    png = buffer.getvalue()
    image = "data:image/png;base64," + base64.b64encode(png).decode("ascii")
    folder = path.parent / f"{path.stem}_plots"
    if kind == "md":
        image = f"{folder.name}/frontier.png"
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("wijksim.report", "templates"),
        autoescape=kind == "html",
        finalize=None if kind == "html" else markdown.finalize,
        trim_blocks=True,
        lstrip_blocks=True,
        undefined=jinja2.StrictUndefined,
    )
    if kind != "html":
        env.filters.update(markdown.FILTERS)
    text = env.get_template(f"advice.{kind}.j2").render(**context(advice, lang, image=image))
    write_text(path, text)
    if kind == "md":
        write_bytes(folder / "frontier.png", png, within=path.parent)
    return path


__all__ = [
    "PROCEDURES",
    "WORDS",
    "context",
    "entering_text",
    "frontier_figure",
    "frontier_rows",
    "good_rows",
    "guarantee",
    "method_line",
    "portfolio_rows",
    "say",
    "sentence",
    "write_report",
]
