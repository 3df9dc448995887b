"""Every sentence the bot says about itself, in one place, so wording stays consistent."""

def no_reports_for(names: list[str], covered: int) -> str:
    """The bot has nothing on the local authorities asked about."""
    listed = " or ".join(names)
    return f"I have no reports for {listed}. I cover {covered} local authorities: try `/findings sources`."


def unsupported_type(label: str) -> str:
    """The question asks about a kind of report the bot does not hold (`label`: its plural, "school inspections")."""
    return (
        f"I don't hold {label}: my knowledge is Ofsted's inspections and visits of local authority children's "
        "services. Try `/findings sources` to see what I have."
    )


def nothing_matches(local_authorities: list[str], kind: str, years: list[int], have: list[str]) -> str:
    """The LA is known but no report fits the kind (in words: "focused visit", "report") or years asked for."""
    when = f" from {', '.join(map(str, years))}" if years else ""
    text = f"I have no {kind}{when} for {' or '.join(local_authorities)}."
    if have:
        text += " I have: " + "; ".join(have) + "."
    return text


def not_found(scope: str) -> str:
    """Nothing in the reports answers the question well enough to quote."""
    return (
        f"I couldn't find anything in {scope} that answers that, so I won't guess. "
        "Try naming a local authority or a topic inspectors write about, "
        "e.g. supervision, care leavers or the front door."
    )


def found(excerpts: int, reports: int, secondary: int) -> str:
    """One line saying what was found: "3 excerpts from 2 Ofsted reports", naming secondary sources apart."""
    primary = reports - secondary
    parts = []
    if primary:
        parts.append(f"{primary} Ofsted report{'s' * (primary != 1)}")
    if secondary:
        parts.append(f"{secondary} secondary source{'s' * (secondary != 1)}")
    return f"{excerpts} excerpt{'s' * (excerpts != 1)} from " + " and ".join(parts)


def outside_england(name: str, nation: str, inspectorate: str) -> str:
    """The council asked about is not in England, so Ofsted does not inspect it."""
    return (
        f"{name} is in {nation}. Ofsted inspects children's services in England only; {name}'s are inspected "
        f"by {inspectorate}, and I hold none of its reports."
    )


def not_mentioned(words: list[str]) -> str:
    """The question turns on words no report uses."""
    listed = ", ".join(f"‘{w}’" for w in words)
    return (
        f"None of the reports I hold mention {listed}, so I can't quote inspectors on it. "
        "Try `/findings sources` to see what I cover."
    )


def not_covered(scope: str, held: list[str], topic: str) -> str:
    """A council's reports do not answer the question: say what each of them covered instead."""
    about = f" about {topic}" if topic else " that answers that"
    count = sum(line.count("(") for line in held)
    none = "It does not cover" if count == 1 else "Neither covers" if count == 2 else "None of them covers"
    return (f"I couldn't find anything in the reports for {scope}{about}, so I won't guess. I hold: "
            f"{'; '.join(held)}. {none} that.")
