"""Score cross-encoder files side by side on the model card's held-out councils: how often each ranks the answer
above every negative from the same report. Used to compare the per-matrix and per-channel int8 exports.

Usage: PYTHONPATH=. python benchmarks/reranker_check.py MODEL.onnx...
"""

import argparse
from pathlib import Path

from bot.cli.reranking import VALIDATION_SHARE
from bot.evaluation.crossencoder import held_out_check
from bot.evaluation.pairs import load_written, split_validation
from bot.retrieval.reranker import reranker_from_bytes


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("models", nargs="+", type=Path)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    validation = split_validation(load_written(), VALIDATION_SHARE, args.seed)[1]
    for path in args.models:
        checked = held_out_check(reranker_from_bytes(path.read_bytes()).scores, validation)
        print(f"{path}: answer first {checked['answer_first']:.4f} of {checked['questions']} questions")


if __name__ == "__main__":
    main()
