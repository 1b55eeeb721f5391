"""Algebraic Machine Learning engine: sparse crossing on packed bitsets (numpy only).

Lifecycle: a :class:`ConstantManager` hands out constant ids; training examples are
:class:`Duple` objects over packed terms; a :class:`SparseCrossingLearner` enforces
mini-batches of them and keeps a union model, whose ``lastUnionModel`` is the model to use.
:class:`BinaryClassifier` wraps all of this behind ``fit`` / ``predict`` for boolean
feature matrices, and merges, serialises and rebuilds learned models.
"""
from .atoms import Atom, Atomization
from .classifier import BinaryClassifier
from .constants import ConstantManager
from .duples import Duple, term
from .errors import InconsistentDataError, NotFittedError
from .full_crossing import FullCrossingLearner
from .sparse_crossing import SparseCrossingLearner

__all__ = ["Atom", "Atomization", "BinaryClassifier", "ConstantManager", "Duple", "FullCrossingLearner",
           "InconsistentDataError", "NotFittedError", "SparseCrossingLearner", "term"]
