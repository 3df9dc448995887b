"""The evaluation's figures as text for a terminal and as JSON for scripts."""

from dataclasses import asdict

from bot.evaluation import Metrics


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
