"""Algebraic Machine Learning engine: sparse crossing on packed bitsets (numpy only).

Lifecycle: a :class:`ConstantManager` hands out constant ids; training examples are
:class:`Duple` objects over packed terms; a :class:`SparseCrossingLearner` enforces
mini-batches of them and keeps a union model, whose ``lastUnionModel`` is the model to use.
:class:`BinaryClassifier` wraps all of this behind ``fit`` / ``predict`` for boolean
feature matrices, and merges, serialises and rebuilds learned models.
:class:`MulticlassClassifier` joins one binary model per class under a decision rule chosen
on validation data; :func:`select_merge` merges shard models without losing to the best shard.
"""
from .atoms import Atom, Atomization
from .classifier import BinaryClassifier
from .constants import ConstantManager
from .duples import Duple, term
from .errors import InconsistentDataError, NotFittedError
from .full_crossing import FullCrossingLearner
from .merge_selection import ShardVote, model_from_dict, select_merge
from .multiclass import MulticlassClassifier
from .sparse_crossing import SparseCrossingLearner

__all__ = ["Atom", "Atomization", "BinaryClassifier", "ConstantManager", "Duple", "FullCrossingLearner",
           "InconsistentDataError", "MulticlassClassifier", "NotFittedError", "ShardVote", "SparseCrossingLearner",
           "model_from_dict", "select_merge", "term"]
