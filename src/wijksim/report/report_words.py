"""The fixed text of the report (headings, explanations, methods) in Dutch and English."""

from __future__ import annotations

from .labels import Label

REPORT: dict[str, Label] = {
    "question_heading": Label("De vraag", "The question"),
    "summary_note": Label(
        "Per voorziening in één zin: wat ze doet voor het team en voor inwoners, wat ze kost, "
        "wie er baat bij heeft en hoe zeker dat is; daarnaast wat het saldo niet meetelt. "
        "Verschillen met de basis, gemiddeld over de replicaties; bedragen als contante "
        "waarde over de jaren na de inloop. De cijfers staan ook in de tabellen verderop.",
        "Each provision in one sentence: what it does for the team and for residents, what it "
        "costs, who gains and how sure that is; beside it, what the balance does not count. "
        "Differences from the baseline, means over the replications; amounts as present value "
        "over the years after the warm-up. The figures are also in the tables further on.",
    ),
    "balance_chart": Label(
        "Maatschappelijk saldo per voorziening (contante waarde): de stip is het saldo, de "
        "balk het 95%-BI, de lijn de nul. Groen: zeker positief; rood: zeker negatief.",
        "Social balance per provision (present value): the dot is the balance, the bar its "
        "95% CI, the line zero. Green: surely positive; red: surely negative.",
    ),
    "not_counted_heading": Label("Wat dit saldo niet meetelt", "What this balance does not count"),
    "not_counted_note": Label(
        "Niet in euro's gewaardeerd (PM); weeg het mee naast het saldo:",
        "Not valued in euro (PM); weigh it beside the balance:",
    ),
    "no_unvalued": Label(
        "Het scenario noemt geen effecten buiten het model.",
        "The scenario names no effects outside the model.",
    ),
    "findings_heading": Label("In het kort", "In brief"),
    "scenarios_heading": Label("De scenario's", "The scenarios"),
    "relief_heading": Label("Ontlasting van het team", "Relief for the team"),
    "by_year_heading": Label("Ontlasting per jaar", "Relief per year"),
    "value_heading": Label("Maatschappelijke kosten en baten", "Social costs and benefits"),
    "pm_heading": Label("Niet in euro: PM-posten", "Not in euro: PM posts"),
    "pm_note": Label(
        "Effecten die het model laat zien maar niet in euro's waardeert, in hun eigen "
        "eenheid (verschil met de basis per jaar, 95%-BI), en effecten van de voorzieningen "
        "die het model niet meet. Ze horen bij het oordeel, naast het saldo.",
        "Effects the model shows but does not value in euro, in their own units (difference "
        "from the baseline per year, 95% CI), and effects of the provisions the model does "
        "not measure. They belong to the verdict, beside the balance.",
    ),
    "left_out_heading": Label("Wat het saldo niet meetelt", "What the balance leaves out"),
    "effect": Label("effect", "effect"),
    "transfer_word": Label("overdracht", "transfer"),
    "payers_heading": Label("Wie betaalt, wie wint", "Who pays, who gains"),
    "items_heading": Label("Kosten en baten per post", "Costs and benefits by item"),
    "breakeven_heading": Label("Break-even", "Break-even"),
    "plots_heading": Label("Figuren", "Figures"),
    "methods_heading": Label("Methode en beperkingen", "Methods and limits"),
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
    "npv": Label(
        "Maatschappelijk saldo (netto contante waarde)", "Social balance (net present value)"
    ),
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
    "quantity": Label("hoeveelheid", "quantity"),
    "net_without_freed_hours": Label("Saldo zonder teamuren", "Balance without team hours"),
    "items_note": Label(
        "Eerst het effect, dan de waardering: per post de hoeveelheid (verschil met de basis, "
        "opgeteld over de jaren na de inloop, gemiddeld over de replicaties) en de contante "
        "waarde. Uren van het team zijn betaalde uren die het team niet meer gebruikt "
        "(bezette capaciteit van het plafond plus collectief werk); de contact- en intakeuren "
        "in de tabellen van de ontlasting zijn een deel daarvan. Vrijgekomen uren zijn pas "
        "een besparing in geld als de gemeente ze anders inzet of het team kleiner maakt, en "
        "dan worden de kortere wachttijden en vermeden escalaties kleiner.",
        "Effects first, then their valuation: per item the quantity (the difference with the "
        "baseline, summed over the years after the warm-up, mean over the replications) and "
        "its present value. Team hours are paid hours the team no longer uses (occupied "
        "capacity of the ceiling plus collective work); the contact and intake hours in the "
        "relief tables are part of them. Freed hours become a saving in money only when the "
        "municipality uses them otherwise or makes the team smaller, and then the shorter "
        "waits and escalations avoided shrink.",
    ),
    "scale": Label("effect", "effect"),
    "breakeven_at": Label("Break-even bij", "Break-even at"),
    "breakeven_range": Label("95%-marge", "95% range"),
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
        "Contante waarde over de jaren na de inloop, verdisconteerd met {rate} per jaar; "
        "alternatief min basis. Het saldo telt ieder effect één keer: uren die het team "
        "niet meer gebruikt, zwaardere zorg die niet nodig is en uitkomsten die een "
        "voorziening met bron benoemt (zoals schuldhulptrajecten die niet nodig zijn). "
        "Geld dat van de ene partij naar de andere gaat (een overdracht) staat alleen bij "
        "wie betaalt en wie wint. Vrijgekomen uren van het team zijn capaciteit, geen geld: "
        "het saldo zonder teamuren is wat overblijft als de gemeente ze niet anders inzet.",
        "Present value over the years after the warm-up, discounted at {rate} a year; "
        "alternative minus baseline. The balance counts each effect once: hours the team no "
        "longer uses, heavier care that is not needed and outcomes a provision declares with "
        "a source (such as debt-assistance trajectories not needed). Money that moves from "
        "one party to another (a transfer) shows only under who pays and who gains. The "
        "team's freed hours are capacity, not money: the balance without team hours is "
        "what is left when the municipality does not use them otherwise.",
    ),
}

CAPTIONS: dict[str, Label] = {
    "waiting_list": Label(
        "Ontlasting in de tijd: de wachtlijst per week van elk alternatief min die van de basis "
        "(per replicatie gepaard), met 95%-band; onder de nul: een kortere wachtlijst. De inloop "
        "is gearceerd: gesimuleerd, maar niet meegeteld.",
        "Relief over time: each alternative's waiting list per week minus the baseline's (paired "
        "per replication), with a 95% band; below zero: a shorter waiting list. The warm-up is "
        "hatched: simulated, but not counted.",
    ),
    "caseload": Label(
        "De caseload per week van elk alternatief min die van de basis (gepaard), met 95%-band; "
        "de inloop is gearceerd en telt niet mee.",
        "Each alternative's caseload per week minus the baseline's (paired), with a 95% band; "
        "the warm-up is hatched and not counted.",
    ),
    "forest": Label(
        "Ontlasting per kengetal: verschil met de basis in % van de basis, met 95%-BI "
        "(gepaard). Links van de nul: minder dan in de basis.",
        "Relief per figure: difference from the baseline as % of the baseline, with a 95% CI "
        "(paired). Left of zero: less than in the baseline.",
    ),
    "balance": Label(
        "Maatschappelijk saldo per voorziening: contante waarde met 95%-BI; rechts van de nul "
        "wegen de baten zwaarder dan de kosten.",
        "Social balance per provision: present value with a 95% CI; right of zero the "
        "benefits outweigh the costs.",
    ),
    "payers": Label(
        "Kosten (onder de nul) en baten (boven de nul) per partij, contante waarde; het ruitje "
        "is het saldo met 95%-BI.",
        "Costs (below zero) and benefits (above) per party, present value; the diamond is the "
        "balance with its 95% CI.",
    ),
    "waits": Label(
        "Verdeling van de wachttijd (één replicatie per scenario): aandeel hulpvragen dat "
        "hoogstens zo lang wachtte; hoger en verder naar links is korter wachten. De stippellijn "
        "staat bij 6 weken; de assen tonen alleen het deel waar de lijnen verschillen.",
        "Distribution of the wait (one replication per scenario): share of requests that "
        "waited at most that long; higher and further left is a shorter wait. The dotted line "
        "marks 6 weeks; the axes show only the part where the lines differ.",
    ),
    "provisions": Label(
        "Deelnemers (links) en vrijwilligers (rechts) per voorziening, gemiddeld per jaar na de "
        "inloop, per scenario met voorzieningen (de titel van elke rij).",
        "Participants (left) and volunteers (right) per provision, mean per year after the "
        "warm-up, for each scenario with provisions (the title of each row).",
    ),
    "drivers": Label(
        "Welke aannames het saldo bepalen: verandering van het maatschappelijk saldo als een "
        "aanname van haar 10e naar haar 90e percentiel gaat (de andere gelijk), geschat uit de "
        "replicaties (regressie op de getrokken waarden); bleek: niet te onderscheiden van "
        "het toeval van de replicaties.",
        "Which assumptions drive the balance: change of the social balance as an assumption "
        "goes from its 10th to its 90th percentile (the others the same), estimated from the "
        "replications (regression on the values drawn); pale: not distinguishable from the "
        "replications' chance.",
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
        "Kosten en baten (MKBA, naar de Algemene leidraad van CPB/PBL en de Werkwijzer voor "
        "het sociaal domein). Een projectalternatief tegen een nulalternatief (de basis): eerst "
        "de effecten, dan hun waardering. Kosten: vaste kosten per gefinancierd jaar, kosten "
        "per deelnemer en vrijwilligersvergoedingen (gemeente). Baten, elk één keer: de betaalde "
        "uren die het team niet meer gebruikt (de bezette capaciteit van het caseloadplafond "
        "plus collectief werk, tegen het integrale uurtarief; vrijgekomen plaatsen die meteen "
        "door wachtenden worden gevuld besparen niets, en uren die van casuïstiek naar "
        "collectief werk gaan zijn dezelfde uren), voorkomen escalaties maal de kosten van "
        "zwaardere zorg, en uitkomsten die een voorziening met aandeel, waarde, betaler en bron "
        "benoemt (een uitkomst, geen activiteit: wie buiten de schuldhulpverlening blijft, niet "
        "wie een maatje krijgt). Overdrachten tussen partijen tellen niet in het saldo. "
        "Discontovoet {rate}. Wachttijd, afhaken en welzijn zijn PM-posten in hun eigen eenheid, "
        "tenzij een scenario ze met bron waardeert.",
        "Beperkingen. Parameters die in de scenariobestanden als illustratief zijn gemarkeerd "
        "hebben geen bron; vervang ze door registratiegegevens van het eigen team. Hulpvragen "
        "die lichter binnenkomen tellen alleen via de uren die het team minder gebruikt. Effecten "
        "op het team na de looptijd tellen niet mee. Het model kent geen wisselwerking tussen "
        "wijken of met andere voorzieningen.",
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
        "Costs and benefits (a social cost-benefit analysis after the Dutch CPB/PBL general "
        "guidance and the guide for the social domain). A project alternative against a zero "
        "alternative (the baseline): effects first, then their valuation. Costs: fixed costs "
        "per funded year, costs per participant and volunteer expenses (municipality). "
        "Benefits, each once: the paid hours the team no longer uses (the occupied capacity of "
        "its caseload ceiling plus collective work, at the integral hourly cost; freed places "
        "that people waiting fill at once save nothing, and hours moved from casework to "
        "collective work are the same hours), escalations avoided times the cost of heavier "
        "care, and outcomes a provision declares with a share, value, payer and source (an "
        "outcome, not an activity: who stays out of debt assistance, not who gets a buddy). "
        "Transfers between parties are not in the balance. Discount rate {rate}. Waits, people "
        "giving up and well-being are PM posts in their own units unless a scenario values "
        "them with a source.",
        "Limits. Parameters marked illustrative in the scenario files have no source; replace "
        "them with the team's own registration. Requests that arrive lighter count only "
        "through the hours the team no longer uses. Effects on the team after the horizon are "
        "not counted. The model has no interaction between neighbourhoods or with other "
        "services.",
    ),
}

#: The words of the plots beside :data:`wijksim.report.text.WORDS` (titles, legends, notes).
PLOT: dict[str, Label] = {
    "difference_from": Label("verschil met", "difference from"),
    "difference_axis": Label("Verschil", "Difference"),
    "mean_difference": Label(
        "gemiddeld verschil (alternatief − basis)", "mean difference (alternative − baseline)"
    ),
    "band": Label("95%-band over de replicaties", "95% band over the replications"),
    "zero": Label("geen verschil", "no difference"),
    "warmup": Label("inloop (gearceerd, telt niet mee)", "warm-up (hatched, not counted)"),
    "per_scenario": Label("per scenario", "per scenario"),
    "balance_title": Label(
        "Maatschappelijk saldo: verschil met", "Social balance: difference from"
    ),
    "balance_axis": Label(
        "Maatschappelijk saldo, contante waarde (euro), met 95%-BI",
        "Social balance, present value (euro), with 95% CI",
    ),
    "forest_title": Label(
        "Ontlasting per kengetal: verschil met", "Relief per figure: difference from"
    ),
    "payers_title": Label(
        "Kosten en baten per partij: verschil met", "Costs and benefits per party: difference from"
    ),
    "benefit_key": Label("baten (boven de nul)", "benefits (above zero)"),
    "cost_key": Label("kosten (onder de nul, licht)", "costs (below zero, light)"),
    "net_key": Label("saldo met 95%-BI", "balance with 95% CI"),
    "waits_title": Label(
        "Wachttijd van hulpvragen (één replicatie per scenario)",
        "Waits of requests (one replication per scenario)",
    ),
    "six_weeks": Label("6 weken", "6 weeks"),
    "baseline": Label("basis", "baseline"),
    "provisions_title": Label(
        "Deelnemers en vrijwilligers per voorziening",
        "Participants and volunteers per provision",
    ),
    "participants": Label("Deelnemers", "Participants"),
    "volunteers": Label("Vrijwilligers", "Volunteers"),
    "breakeven_title": Label("Break-even", "Break-even"),
    "assumed": Label("aangenomen effect (1×)", "assumed effect (1×)"),
    "net_line": Label("saldo", "balance"),
    "ci_band": Label("95%-BI", "95% CI"),
    "drivers_title": Label(
        "Welke aannames het saldo bepalen", "Which assumptions drive the balance"
    ),
    "sweep_title": Label("Sweep", "Sweep"),
}
