"""The sparse-crossing learner: ``enforce(positives, negatives)`` one mini-batch at a time.

Why: full crossing explodes; sparse crossing adds only the unions needed to keep the trace
of every constant over a small dual, so each batch costs about the same however long
training runs. Learned atoms accumulate in the union model, and ``lastUnionModel`` (the
union before the current batch, filtered by the batch's fresh positives) is the model to
test with.
"""
from __future__ import annotations

import random
from dataclasses import dataclass

import numpy as np

from . import bitset
from .atoms import Atomization
from .crossing import WorkingModel, cross_all
from .dual import Dual, build_dual
from .duples import Duple
from .traces import atom_traces, close_traces, constant_traces, term_traces
from .union import UnionModel


@dataclass
class StepReport:
    """What the last ``enforce`` call did; the traces let tests check the invariants."""

    dual: Dual
    constants: np.ndarray
    stored_traces: np.ndarray
    union_removed: int = 0
    closure_atoms: int = 0
    crossed: int = 0


def _term_space(duples: list[Duple]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Distinct terms of the duples, and per duple the index of its L and of its R."""
    rows = np.stack([d.L for d in duples] + [d.R for d in duples])
    first, group = bitset.unique_rows(rows)
    return rows[first], group[:len(duples)], group[len(duples):]


class SparseCrossingLearner:
    """Learns an atomization from mini-batches of positive and negative duples.

    Parameters follow the reference's MNIST settings: indicator reduction on, negative
    indicator threshold 0.1, static constants, simplify threshold 1.5, stored positives.
    """

    def __init__(self, n_constants: int, seed: int | None = None, *, useReduceIndicators: bool = True,
                 negativeIndicatorThreshold: float = 0.1, simplify_threshold: float = 1.5,
                 storePositives: bool = True, reductionByTraces: bool = True) -> None:
        self.n_constants = n_constants
        self.useReduceIndicators = useReduceIndicators
        self.negativeIndicatorThreshold = negativeIndicatorThreshold
        self.simplify_threshold = simplify_threshold
        self.storePositives = storePositives
        self.reductionByTraces = reductionByTraces
        self.rng = np.random.default_rng(seed)
        self.rnd = random.Random(int(self.rng.integers(2 ** 63)))
        self.atomization = Atomization(n_constants)
        self.union = UnionModel(n_constants)
        self.lastUnionModel = Atomization(n_constants)
        self.exampleSet: list[Duple] = []
        self.trainingConstants = np.zeros(n_constants, dtype=bool)
        self.unionUpdates = 0
        self.unionModelFraction = 0
        self.generation = 0
        self.epoch = 0
        self.unionExtended = False
        self.last_step: StepReport | None = None

    @property
    def unionModel(self) -> Atomization:
        """The current union of all working models, after filtering."""
        return self.union.atoms

    def externalExtendUnionModel(self, atoms: Atomization) -> None:
        """Import foreign atoms; the next call checks the union against stored positives too."""
        self.union.extend(atoms, -1)
        self.unionExtended = True

    def _add_constants(self, constants: np.ndarray) -> None:
        """Singletons for constants never seen before, or that no atom contains any more."""
        covered = bitset.unpack(np.bitwise_or.reduce(self.atomization.bits, axis=0), self.n_constants)
        fresh = np.flatnonzero(constants & ~(self.trainingConstants & covered))
        self.trainingConstants |= constants
        if len(fresh):
            singles = Atomization.singletons(self.n_constants, fresh, self.epoch, self.generation)
            self.atomization = self.atomization.concat(singles)

    def enforce(self, pbatch: list[Duple], nbatch: list[Duple]) -> StepReport:
        """Make every positive duple of ``pbatch`` (and the stored ones) hold, keeping every
        negative duple of ``nbatch`` separated. Returns a report of the step."""
        rng = self.rng
        self.unionUpdates += 1
        to_check = list(pbatch)
        if self.unionExtended:
            to_check += self.exampleSet
            self.unionExtended = False
        removed = self.union.filter(to_check, self.unionUpdates)

        examples = [pbatch[i] for i in rng.permutation(len(pbatch))] + self.exampleSet
        counterexamples = list(nbatch)
        duples = examples + counterexamples
        if not duples:
            raise ValueError("enforce needs at least one duple, got empty positive and negative batches")
        terms, left_of, right_of = _term_space(duples)
        terms_dense = bitset.unpack(terms, self.n_constants)
        constants = terms_dense.any(axis=0)
        self._add_constants(constants)

        if counterexamples:
            dual = build_dual(counterexamples, examples, self.unionModel, self.unionModelFraction,
                              self.n_constants, rng, self.useReduceIndicators)
        else:
            dual = Dual(np.zeros((0, self.n_constants), dtype=bool), 0, 0)
        free = np.ascontiguousarray(dual.pinning.T)

        model = self.atomization
        traces = atom_traces(model.bits, self.n_constants, dual.pinning)
        traces_of_constants = constant_traces(model.bits, self.n_constants, traces)
        traces_of_terms = term_traces(terms_dense, traces_of_constants)
        pairs = np.stack([left_of, right_of], axis=1)
        added = close_traces(traces_of_terms, terms_dense, free, pairs[len(examples):], pairs[:len(examples)], rng)
        self.generation += 1
        if added:
            added = sorted(set(added))
            singles = Atomization.singletons(self.n_constants, added, self.epoch, self.generation)
            joined = model.concat(singles)
            first, _ = bitset.unique_rows(joined.bits)
            model = joined.deduplicated()
            traces = np.concatenate([traces, free[added]])[first]
            traces_of_constants[added] &= free[added]

        working = WorkingModel(model, traces)
        used = np.flatnonzero(constants)
        crossed, self.epoch = cross_all(working, examples, self.epoch, traces_of_constants, used, self.rnd,
                                        self.simplify_threshold, self.reductionByTraces)
        self.atomization = working.atoms

        self.lastUnionModel = self.union.atoms.copy()
        self.union.extend(self.atomization, self.unionUpdates)
        self.exampleSet = [d for d in crossed if d.region != 0] if self.storePositives else []
        negative_share = dual.n_negative / dual.size if dual.size else 1.0
        if self.negativeIndicatorThreshold >= 0 and negative_share < self.negativeIndicatorThreshold:
            self.unionModelFraction += 1
        self.last_step = StepReport(dual, used, traces_of_constants, removed, len(added), len(crossed))
        return self.last_step
