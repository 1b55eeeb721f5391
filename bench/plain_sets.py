"""The same sparse-crossing ``enforce`` steps on plain Python sets: the benchmark's baseline.

Why: the speed-up of the packed-bitset engine is only meaningful against the same algorithm
written the obvious way, timed in the same run on the same machine. Atoms and terms are
frozensets, traces are Python ints over the kept indicators. It is a replay tool for the
benchmark, not part of the package; it starts from a snapshot of a bitset learner.
"""
from __future__ import annotations

import random

from aml_engine import SparseCrossingLearner, bitset


def _sets(packed, n_constants: int) -> list[frozenset]:
    dense = bitset.unpack(packed, n_constants)
    return [frozenset(int(c) for c in row.nonzero()[0]) for row in dense]


class PlainSetLearner:
    """A snapshot of a :class:`SparseCrossingLearner` that enforces batches with Python sets."""

    def __init__(self, learner: SparseCrossingLearner, seed: int = 0) -> None:
        n = learner.n_constants
        self.n_constants = n
        self.model = _sets(learner.atomization.bits, n)
        self.union = dict(zip(_sets(learner.union.atoms.bits, n), learner.union.entrance.tolist()))
        self.examples = [(frozenset(bitset.to_indices(d.L, n)), frozenset(bitset.to_indices(d.R, n)))
                         for d in learner.exampleSet]
        self.fraction = learner.unionModelFraction
        self.updates = learner.unionUpdates
        self.seen = set(int(c) for c in learner.trainingConstants.nonzero()[0])
        self.random = random.Random(seed)

    def enforce(self, pbatch, nbatch) -> None:
        n, rnd = self.n_constants, self.random
        new = [(frozenset(bitset.to_indices(d.L, n)), frozenset(bitset.to_indices(d.R, n))) for d in pbatch]
        negatives = [(frozenset(bitset.to_indices(d.L, n)), frozenset(bitset.to_indices(d.R, n))) for d in nbatch]
        self.updates += 1
        self.union = {u: e for u, e in self.union.items() if not any(u & l and not u & r for l, r in new)}
        examples = rnd.sample(new, len(new)) + self.examples
        constants = set().union(*(l | r for l, r in examples + negatives))
        self.model += [frozenset([c]) for c in constants - self.seen]
        self.seen |= constants
        pinning = self._dual(examples, negatives)
        free = {c: sum(1 << i for i, p in enumerate(pinning) if c in p) for c in range(n)}
        everything = (1 << len(pinning)) - 1
        traces = {a: self._atom_trace(a, free) for a in self.model}
        constant_trace = {c: everything for c in range(n)}
        for atom, trace in traces.items():
            for c in atom:
                constant_trace[c] &= trace
        term_trace = {}
        for term in {t for pair in examples + negatives for t in pair}:
            term_trace[term] = everything
            for c in term:
                term_trace[term] &= constant_trace[c]
        self._close(examples, negatives, term_trace, constant_trace, free, traces)
        crossed = self._cross_all(examples, traces, constant_trace, sorted(constants), everything)
        for atom in traces:
            self.union.setdefault(atom, self.updates)
        self.model = list(traces)
        self.examples = crossed

    @staticmethod
    def _atom_trace(atom: frozenset, free: dict) -> int:
        trace = 0
        for c in atom:
            trace |= free[c]
        return trace

    def _dual(self, examples, negatives) -> list[set]:
        rnd = self.random
        sets = [set(p) for p in {r for _, r in negatives}]
        changed = True
        while changed:
            changed = False
            for p in sets:
                for left, right in examples:
                    if right <= p and not left <= p:
                        p |= left
                        changed = True
        atoms = [u for u in self.union if len(u) == 1 or self.fraction == 0 or rnd.random() < 1 / (self.fraction + 1)]
        lefts = set().union(*(l for l, _ in negatives))
        atoms = [u for u in atoms if u & lefts]
        useful = [[i for i, p in enumerate(sets) if right <= p and not left <= p]
                  + [len(sets) + j for j, u in enumerate(atoms) if not u & right and u & left]
                  for left, right in negatives]
        kept = self._reduce(useful)
        everything = set(range(self.n_constants))
        return [sets[i] if i < len(sets) else everything - atoms[i - len(sets)] for i in sorted(kept)]

    def _reduce(self, useful: list[list[int]]) -> set[int]:
        rnd = self.random
        alive = set().union(*map(set, useful))
        singles: set[int] = set()
        remaining = list(range(len(useful)))
        previous = len(alive) + 1
        while True:
            rnd.shuffle(remaining)
            take: set[int] = set()
            left_over = []
            for k in remaining:
                options = [i for i in useful[k] if i in alive]
                useful[k] = options
                if singles.intersection(options):
                    continue
                if len(options) == 1:
                    singles.add(options[0])
                    continue
                if not take.intersection(options):
                    take.add(rnd.choice(options))
                left_over.append(k)
            take |= singles
            remaining, alive = left_over, take
            if len(take) >= previous or not remaining:
                return alive
            previous = len(take)

    def _close(self, examples, negatives, term_trace, constant_trace, free, traces) -> None:
        rnd = self.random

        def add(c: int) -> None:
            for term in term_trace:
                if c in term:
                    term_trace[term] &= free[c]
            constant_trace[c] &= free[c]
            traces[frozenset([c])] = free[c]

        added = True
        while added:
            added = False
            for left, right in rnd.sample(negatives, len(negatives)):
                if term_trace[right] & ~term_trace[left]:
                    continue
                for c in rnd.sample(sorted(left - right), len(left - right)):
                    if term_trace[right] & ~(term_trace[left] & free[c]):
                        add(c)
                        added = True
                        break
            for left, right in rnd.sample(examples, len(examples)):
                out = term_trace[right] & ~term_trace[left]
                if out:
                    c = next((c for c in rnd.sample(sorted(right), len(right)) if out & ~free[c]), None)
                    if c is not None:
                        add(c)
                        added = True

    def _cross_all(self, examples, traces, stored, constants, everything) -> list:
        rnd = self.random
        crossed = []
        last = sum(len(a) > 1 for a in traces)
        for left, right in examples:
            discriminant = [a for a in traces if a & left and not a & right]
            if not discriminant:
                continue
            partners = [b for b in traces if b & right]
            for a in discriminant:
                trace = traces.pop(a)
                out = everything & ~trace
                if not out:
                    b = rnd.choice(partners)
                    traces[a | b] = trace | traces[b]
                while out:
                    eta = rnd.choice([i for i in range(out.bit_length()) if out >> i & 1])
                    b = rnd.choice([b for b in partners if not traces[b] >> eta & 1])
                    traces[a | b] = trace | traces[b]
                    out &= traces[b]
            crossed.append((left, right))
            if sum(len(a) > 1 for a in traces) > 1.5 * last:
                self._reduce_by_traces(traces, stored, constants, everything)
                last = sum(len(a) > 1 for a in traces)
        self._reduce_by_traces(traces, stored, constants, everything)
        return crossed

    def _reduce_by_traces(self, traces, stored, constants, everything) -> None:
        rnd = self.random
        selected: set = set()
        for c in rnd.sample(constants, len(constants)):
            holders = [a for a in traces if c in a]
            out = everything & ~stored[c]
            if not out and holders and not selected.intersection(holders):
                selected.add(rnd.choice(holders))
            while out:
                eta = rnd.choice([i for i in range(out.bit_length()) if out >> i & 1])
                candidates = [a for a in holders if not traces[a] >> eta & 1]
                if not candidates:
                    out &= ~(1 << eta)
                    continue
                chosen = [a for a in candidates if a in selected]
                pick = rnd.choice(chosen or candidates)
                selected.add(pick)
                out &= traces[pick]
        for atom in [a for a in traces if a not in selected]:
            del traces[atom]
