"""Read the model a main node wrote (``results/model.json``) back into a classifier.

The file holds the merged binary model in the tutorial's shape (``vTerm``, the atoms under the
class constant's key) plus its ``cutoff``; see ``main_node.py`` and ``load_aml_structures``.
"""
from __future__ import annotations

import json
from pathlib import Path

from aml_engine import BinaryClassifier


class ModelFileError(ValueError):
    """A model file that is missing or not in the shape main_node.py writes; says which."""


def load_binary_model(path: str | Path) -> BinaryClassifier:
    """The binary classifier stored at ``path``, with its cut-off; raises ModelFileError."""
    path = Path(path)
    try:
        data = json.loads(path.read_text())
    except OSError as error:
        raise ModelFileError(f"cannot read model file {path}: {error.strerror} (run main_node.py first?)") from None
    except json.JSONDecodeError as error:
        raise ModelFileError(f"model file {path} is not JSON: {error.msg} at line {error.lineno}") from None
    try:
        (class_constant,) = data["vTerm"]
        atoms = [(atom["atom_ucs"], atom["atom_epoch"], atom["atom_gen"]) for atom in data[str(class_constant)]]
        # The class constant follows the 2 x features constants "pixel is ink" and "is not".
        return BinaryClassifier.from_atoms(class_constant // 2, atoms, cutoff=data["cutoff"])
    except (KeyError, TypeError, ValueError) as error:
        raise ModelFileError(f"model file {path} is not a binary model as main_node.py writes it "
                             f"(vTerm with one class constant, its atoms and a cutoff): {error!r}") from None
