"""The evaluation's figures as text for a terminal and as JSON for scripts."""

from dataclasses import asdict

from bot.evaluation.metrics import Metrics


def _figure(value: float | None, digits: int = 3) -> str:
    return "-" if value is None else f"{value:.{digits}f}"


def metric_lines(metrics: Metrics) -> list[tuple[str, str]]:
    """Each headline figure as a (label, formatted value) pair, in reading order."""
    m = metrics
    return [
        ("questions", f"{m.answerable + m.unanswerable} ({m.answerable} answerable, {m.unanswerable} unanswerable)"),
        ("hit@1", _figure(m.hit_at_1)),
        ("hit@3", _figure(m.hit_at_3)),
        ("hit@5", _figure(m.hit_at_5)),
        ("MRR@10", _figure(m.mrr_at_10)),
        ("abstain correct", _figure(m.abstain_correct)),
        ("false abstention", _figure(m.false_abstention)),
        ("verbatim", _figure(m.verbatim)),
        ("excerpts", str(m.excerpts)),
        ("mean excerpt words", _figure(m.mean_excerpt_words, 1)),
        ("mean excerpt chars", _figure(m.mean_excerpt_chars, 0)),
        ("latency p50 ms", f"{m.latency_p50_ms:.1f}"),
        ("latency p95 ms", f"{m.latency_p95_ms:.1f}"),
    ]


def format_metrics(metrics: Metrics) -> str:
    """A compact block: one figure a line, then hit@5, MRR@10 and abstention by kind of question."""
    lines = [f"{label:<19} {value}" for label, value in metric_lines(metrics)]
    lines.append(f"{'by kind':<19} {'n':>3}  {'hit@5':>6}  {'MRR@10':>6}  {'abstain':>7}")
    for kind, k in metrics.by_kind.items():
        lines.append(
            f"  {kind:<17} {k.questions:>3}  {_figure(k.hit_at_5):>6}  {_figure(k.mrr_at_10):>6}  "
            f"{_figure(k.abstain_correct):>7}"
        )
    return "\n".join(lines)


def metrics_json(metrics: Metrics) -> dict:
    """The metrics as plain JSON values, shares rounded to four places and None where undefined."""
    def rounded(value):
        return round(value, 4) if isinstance(value, float) else value

    flat = asdict(metrics)
    by_kind = {kind: {k: rounded(v) for k, v in figures.items()} for kind, figures in flat.pop("by_kind").items()}
    return {**{k: rounded(v) for k, v in flat.items()}, "by_kind": by_kind}


# A model whose in-sample figure beats its cross-validated one by more than this is fitted to its questions.
OVERFIT_GAP = 0.03


def comparison_lines(in_sample: dict[str, Metrics], cross_validated: dict[str, Metrics]) -> list[str]:
    """In-sample beside cross-validated figures for each question set, gaps over OVERFIT_GAP marked, then by kind."""
    names = ("hit_at_1", "hit_at_5", "mrr_at_10", "abstain_correct", "false_abstention", "verbatim")
    lines = [f"{'set':<42} {'n':>4}  " + "  ".join(f"{n.replace('_at_', '@'):>15}" for n in names),
             f"{'':<42} {'':>4}  " + "  ".join(f"{'in-sample / CV':>15}" for _ in names)]
    for label, cv in cross_validated.items():
        seen = in_sample[label]
        cells = []
        for name in names:
            a, b = getattr(seen, name), getattr(cv, name)
            gap = a is not None and b is not None and name != "false_abstention" and a - b > OVERFIT_GAP
            cells.append(f"{_figure(a)} / {_figure(b)}{'!' if gap else ' '}".rjust(15))
        lines.append(f"{label:<42} {cv.answerable + cv.unanswerable:>4}  " + "  ".join(cells))
    lines.append(f"! in-sample over CV by more than {OVERFIT_GAP:.2f}")
    for label, cv in cross_validated.items():
        lines.append(f"CV by kind, {label}: " + "; ".join(
            f"{kind} {k.questions}: hit@5 {_figure(k.hit_at_5)} MRR {_figure(k.mrr_at_10)} "
            f"abstain {_figure(k.abstain_correct)}" for kind, k in cv.by_kind.items()))
    return lines
