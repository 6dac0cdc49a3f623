"""The fixed text of the report (headings, explanations, methods) in Dutch and English."""

from __future__ import annotations

from .labels import Label

REPORT: dict[str, Label] = {
    "question_heading": Label("De vraag", "The question"),
    "findings_heading": Label("In het kort", "In brief"),
    "scenarios_heading": Label("De scenario's", "The scenarios"),
    "relief_heading": Label("Ontlasting van het team", "Relief for the team"),
    "by_year_heading": Label("Ontlasting per jaar", "Relief per year"),
    "value_heading": Label("Kosten en baten", "Costs and benefits"),
    "payers_heading": Label("Wie betaalt, wie wint", "Who pays, who gains"),
    "items_heading": Label("Kosten en baten per post", "Costs and benefits by item"),
    "breakeven_heading": Label("Break-even", "Break-even"),
    "plots_heading": Label("Figuren", "Figures"),
    "methods_heading": Label("Methode en beperkingen", "Methods and limits"),
    "advice_heading": Label("Hoeveel replicaties?", "How many replications?"),
    "baseline_word": Label("basis", "baseline"),
    "alternative": Label("alternatief", "alternative"),
    "difference": Label("verschil", "difference"),
    "ci": Label("95%-BI", "95% CI"),
    "relative": Label("relatief", "relative"),
    "unit": Label("eenheid", "unit"),
    "figure": Label("kengetal", "figure"),
    "parameter": Label("parameter", "parameter"),
    "value_word": Label("waarde", "value"),
    "in_baseline": Label("in de basis", "in the baseline"),
    "source": Label("bron in het scenariobestand", "source in the scenario file"),
    "where": Label("regel", "line"),
    "no_changes": Label("Geen verschillen met de basis.", "No differences from the baseline."),
    "is_baseline": Label(
        "Dit is de basis: de situatie zonder (extra) collectieve voorzieningen.",
        "This is the baseline: the situation without (extra) collective provisions.",
    ),
    "pv_costs": Label("Kosten (contante waarde)", "Costs (present value)"),
    "pv_benefits": Label("Baten (contante waarde)", "Benefits (present value)"),
    "npv": Label("Netto contante waarde", "Net present value"),
    "ratio": Label("Baten per euro", "Benefit per euro"),
    "cost_per_request": Label(
        "Kosten per voorkomen of opgevangen hulpvraag", "Cost per request averted or diverted"
    ),
    "p_positive": Label("Kans op positief saldo", "Chance of a positive balance"),
    "scenario_word": Label("scenario", "scenario"),
    "payer": Label("partij", "party"),
    "intervention": Label("voorziening", "provision"),
    "item": Label("post", "item"),
    "kind": Label("soort", "kind"),
    "scale": Label("effect", "effect"),
    "breakeven_at": Label("Break-even bij", "Break-even at"),
    "breakeven_range": Label("95%-marge", "95% range"),
    "needed": Label(
        "replicaties nodig voor ±10% op het verschil", "replications for ±10% on the difference"
    ),
    "precision_now": Label("precisie nu", "precision now"),
    "year_label": Label("jaar", "year"),
    "generated": Label("Gemaakt met wijksim", "Made with wijksim"),
    "on": Label("op", "on"),
    "by_year_note": Label(
        "Verschil met de basis per jaar na de inloopperiode (95%-BI); extra kosten in euro, "
        "niet verdisconteerd. De wachttijd per jaar is geschat met de wet van Little "
        "(gemiddelde wachtlijst gedeeld door het aantal dat per week de wachtlijst verlaat).",
        "Difference from the baseline per year after the warm-up (95% CI); extra cost in euro, "
        "not discounted. The wait per year is estimated by Little's law (mean waiting list "
        "divided by the number leaving the list per week).",
    ),
    "relief_note": Label(
        "Gemiddelde over de replicaties; verschil = alternatief min basis, per replicatie "
        "gepaard (zelfde inwoners, zelfde momenten). Aandelen in procenten, verschillen van "
        "aandelen in procentpunten (%-punt). Groen: het hele interval wijst op ontlasting.",
        "Means over the replications; difference = alternative minus baseline, paired per "
        "replication (same residents, same moments). Shares in percent, differences of shares "
        "in percentage points (pp). Green: the whole interval points to relief.",
    ),
    "value_note": Label(
        "Contante waarde over de jaren na de inloop, verdisconteerd met {rate} per jaar. "
        "Kosten en baten zijn die van het alternatief min die van de basis.",
        "Present value over the years after the warm-up, discounted at {rate} a year. Costs "
        "and benefits are the alternative's minus the baseline's.",
    ),
}

CAPTIONS: dict[str, Label] = {
    "waiting_list": Label(
        "Wachtlijst per week, gemiddeld over de replicaties, met 95%-band.",
        "Waiting list per week, mean over the replications, with a 95% band.",
    ),
    "caseload": Label(
        "Caseload per week, gemiddeld over de replicaties, met 95%-band.",
        "Caseload per week, mean over the replications, with a 95% band.",
    ),
    "forest": Label(
        "Ontlasting per kengetal: verschil met de basis in % van de basis, met 95%-BI "
        "(gepaard). Links van de nul: minder dan in de basis.",
        "Relief per figure: difference from the baseline as % of the baseline, with a 95% CI "
        "(paired). Left of zero: less than in the baseline.",
    ),
    "payers": Label(
        "Kosten (onder de nul) en baten (boven de nul) per partij, contante waarde; het ruitje "
        "is het saldo met 95%-BI.",
        "Costs (below zero) and benefits (above) per party, present value; the diamond is the "
        "balance with its 95% CI.",
    ),
    "waits": Label(
        "Verdeling van de wachttijd (één replicatie per scenario): aandeel hulpvragen dat "
        "hoogstens zo lang wachtte. De grijze lijn staat bij 6 weken.",
        "Distribution of the wait (one replication per scenario): share of requests that "
        "waited at most that long. The grey line marks 6 weeks.",
    ),
    "provisions": Label(
        "Deelnemers en vrijwilligers per voorziening, gemiddeld per jaar.",
        "Participants and volunteers per provision, mean per year.",
    ),
    "breakeven": Label(
        "Netto contante waarde bij een zwakker of sterker effect (0× tot 2× het aangenomen "
        "effect), met 95%-BI.",
        "Net present value with a weaker or stronger effect (0× to 2× the assumed effect), "
        "with a 95% CI.",
    ),
}

#: The methods section: paragraphs, with {placeholders} filled by the report.
METHODS: dict[str, tuple[str, ...]] = {
    "nl": (
        "Model. wijksim is een discrete-event simulatie (simpy) van afzonderlijke hulpvragen "
        "bij een sociaal wijkteam: ze komen binnen per thema en maand, wachten als het "
        "caseloadplafond bereikt is, worden in behandeling genomen, afgesloten en komen soms "
        "terug. Collectieve voorzieningen voorkomen hulpvragen of vangen ze op; vrijwilligers "
        "hebben een eigen verloop.",
        "Experiment. Elk scenario draaide {replications} replicaties van {horizon} jaar, "
        "waarvan het eerste {warmup} jaar inloop is en niet meetelt{warmup_note}. Replicatie r "
        "van elk scenario gebruikt dezelfde seed ({seed}, r) en elke bron van toeval een eigen "
        "stroom (common random numbers): de scenario's zien dezelfde inwoners op dezelfde "
        "momenten, en verschillen worden per replicatie gepaard.",
        "Onzekerheid. Intervallen zijn 95%-betrouwbaarheidsintervallen over replicaties: "
        "Student-t voor gemiddelden en verschillen; waar een t-interval een grens zou "
        "overschrijden die het kengetal niet kan overschrijden (onder nul, of boven 1 voor "
        "aandelen) het percentiel-bootstrapinterval; bootstrap voor verhoudingen (baten per "
        "euro, kosten per hulpvraag) en het Wilson-interval voor de kans op een positief saldo "
        "(het aandeel replicaties met een positief saldo; met een uncertain:-blok in het "
        "scenario omvat dat ook de onzekerheid in de parameters).",
        "Kosten en baten (in de geest van een MKBA). Kosten: vaste kosten per gefinancierd "
        "jaar, kosten per deelnemer, vrijwilligersvergoedingen (gemeente) en uren van het "
        "wijkteam voor collectief werk (wijkteam). Baten: vrijgekomen capaciteit (hulpvragen "
        "die het team niet meer krijgt maal de verwachte uren per hulpvraag maal het uurtarief), "
        "voorkomen escalaties maal de kosten van zwaardere zorg, voorkomen "
        "schuldhulptrajecten door maatjes, en uitkomsten die een scenario zelf benoemt met "
        "waarde en bron. Discontovoet {rate}. Niet in euro's: welzijn, eenzaamheid, kortere "
        "wachttijd als zodanig.",
        "Beperkingen. Parameters die in de scenariobestanden als illustratief zijn gemarkeerd "
        "hebben geen bron; vervang ze door registratiegegevens van het eigen team. Hulpvragen "
        "die lichter binnenkomen tellen niet als baten. Vrijgekomen capaciteit wordt "
        "gewaardeerd tegen het uurtarief, ook als het team die tijd aan wachtenden besteedt. "
        "Het model kent geen wisselwerking tussen wijken of met andere voorzieningen.",
    ),
    "en": (
        "Model. wijksim is a discrete-event simulation (simpy) of individual help requests at "
        "a neighbourhood social team: they arrive per theme and month, wait when the caseload "
        "ceiling is reached, are taken on, closed, and sometimes come back. Collective "
        "provisions avert or divert requests; volunteers have their own turnover.",
        "Experiment. Each scenario ran {replications} replications of {horizon} years, of "
        "which the first {warmup} year is warm-up and not counted{warmup_note}. Replication r "
        "of every scenario uses the same seed ({seed}, r) and each source of randomness its "
        "own stream (common random numbers): the scenarios see the same residents at the same "
        "moments, and differences are paired per replication.",
        "Uncertainty. Intervals are 95% confidence intervals over replications: Student's t "
        "for means and differences; where a t interval would cross a bound the figure cannot "
        "cross (below zero, or above 1 for shares) the percentile bootstrap; bootstrap for "
        "ratios (benefit per euro, cost per request) and the Wilson interval for the chance of "
        "a positive balance (the share of replications with a positive balance; with an "
        "uncertain: block in the scenario it covers the parameters' uncertainty too).",
        "Costs and benefits (in the spirit of a Dutch social cost-benefit analysis, MKBA). "
        "Costs: fixed costs per funded year, costs per participant, volunteer expenses "
        "(municipality) and wijkteam hours for collective work (wijkteam). Benefits: capacity "
        "freed (requests the team no longer gets times the expected hours per request at the "
        "hourly cost), escalations avoided times the cost of heavier care, debt-assistance "
        "trajectories avoided by buddies, and outcomes a scenario declares with value and "
        "source. Discount rate {rate}. Not in euro: well-being, loneliness, a shorter wait as "
        "such.",
        "Limits. Parameters marked illustrative in the scenario files have no source; replace "
        "them with the team's own registration. Requests that arrive lighter are not counted "
        "as benefits. Freed capacity is valued at the hourly cost even when the team spends "
        "that time on people waiting. The model has no interaction between neighbourhoods or "
        "with other services.",
    ),
}
