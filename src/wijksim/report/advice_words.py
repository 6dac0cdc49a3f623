"""The words of the advice, in Dutch and English: every sentence and heading
that ``wijksim advise`` prints and its report shows (:data:`WORDS`, filled in
by :func:`say`), and the procedures' names with their source."""

from __future__ import annotations

from typing import Any

from .labels import Label
from .text import language

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
    "raised": Label(
        "Gevraagd waren {asked} replicaties; de eerste ronde alleen ({first_stage} per "
        "portefeuille) kost er al {total}, dus zijn er {total} gebruikt.",
        "{asked} replications were asked for; the first stage alone ({first_stage} a "
        "portfolio) takes {total}, so {total} were spent.",
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


__all__ = ["PROCEDURES", "WORDS", "say"]
