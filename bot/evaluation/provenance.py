"""Where a generated model file came from: the sha256 of every input it was built from, and the command.

`findings train` writes this beside the weights (a "provenance" key in intent.json and ranker.json; the
cross-encoder's card has its own). A test recomputes each hash from the files in the repository, so weights
built from data that has since changed are caught, and `make train` runs every recorded command.
"""

import hashlib
from pathlib import Path


def file_sha256(path: Path) -> str:
    """The sha256 of a file's bytes."""
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def provenance(inputs: dict[str, Path], command: str, **facts: str) -> dict:
    """The record for a generated file: each input's path and sha256, other facts (a model's sha256), the command."""
    return {"inputs": {name: {"path": str(path), "sha256": file_sha256(path)} for name, path in inputs.items()},
            **facts, "command": command}


def changed_inputs(record: dict, root: Path) -> list[str]:
    """The recorded inputs under `root` whose bytes no longer match their hash; inputs outside it are not checked."""
    changed = []
    for name, entry in record.get("inputs", {}).items():
        path = root / entry["path"]
        if not str(entry["path"]).startswith("..") and (not path.is_file() or file_sha256(path) != entry["sha256"]):
            changed.append(name)
    return changed
