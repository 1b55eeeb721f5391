"""How a run is cut into jobs: disjoint shards of the training images times groups of digits.

Why this cut: a job carries one shard's images and labels (the tutorial's text) and names the
digits its computing node trains, one binary model each. Every digit group sends its shard again,
so the bytes sent are (number of groups) x one copy of the shards' job text, while more shards
cost no bytes but give younger models that must be merged. Two groups of five digits on one
shard keep two computing nodes busy for 2x the bytes with no merge at all; more shards give
more, smaller jobs for more nodes. Digits are dealt round-robin (0 2 4 6 8 / 1 3 5 7 9), so
easy and hard digits mix in every group.
"""
from __future__ import annotations

import argparse
import math
import time
from dataclasses import dataclass

import numpy as np

from aml_jobs.codec import JobSettings, encode_shard, with_settings


def target_digit(text: str) -> int | str:
    """``--target-digit``: a digit 0..9 or ``all`` (argparse type; ArgumentTypeError otherwise)."""
    if text == "all":
        return text
    if text.isdigit() and 0 <= int(text) <= 9:
        return int(text)
    raise argparse.ArgumentTypeError(f"must be a digit 0..9 or all, got {text!r}")


@dataclass(frozen=True)
class PlannedJob:
    """One job: its settings and its full text."""

    settings: JobSettings
    text: str


@dataclass(frozen=True)
class JobPlan:
    """Every job of a run, and what building and sending them costs."""

    jobs: list[PlannedJob]
    copy_bytes: int
    build_seconds: float

    @property
    def sent_bytes(self) -> int:
        return sum(len(job.text) for job in self.jobs)

    def bytes_report(self) -> dict:
        """Bytes sent against one copy of the shards' job text, with a line for people."""
        line = (f"bytes sent: {self.sent_bytes / 1e6:.1f} MB in {len(self.jobs)} jobs = "
                f"{self.sent_bytes / self.copy_bytes:.2f} x one copy of the shards' job text "
                f"({self.copy_bytes / 1e6:.1f} MB)")
        return {"sent": self.sent_bytes, "one_copy": self.copy_bytes, "jobs": len(self.jobs), "line": line}

    def describe(self) -> str:
        """One line per job (shard, digits, size), then the bytes line."""
        lines = [f"Job for shard {job.settings.shard}, digits {' '.join(map(str, job.settings.digits))}: "
                 f"{len(job.text) / 1e6:.1f} MB" for job in self.jobs]
        return "\n".join(lines + [self.bytes_report()["line"]])


def digit_groups(digits: list[int], per_job: int) -> list[tuple[int, ...]]:
    """Deal ``digits`` round-robin into the fewest groups of at most ``per_job`` digits."""
    if per_job < 1:
        raise ValueError(f"need at least 1 digit per job, got {per_job}")
    n_groups = math.ceil(len(digits) / per_job)
    return [tuple(digits[start::n_groups]) for start in range(n_groups)]


def plan_jobs(shards: list[tuple[np.ndarray, np.ndarray]], digits: list[int], per_job: int,
              binary: bool, **training) -> JobPlan:
    """Jobs for every shard and digit group; each shard's data text is built once and reused.

    ``binary`` writes ``target_digit`` (one digit, the tutorial's and eProsima-era form) instead
    of ``target_digits``; ``training`` holds the other settings (``batches``, ``seed``, ...),
    and each shard's seed is offset by its index.
    """
    started = time.perf_counter()
    groups = digit_groups(digits, per_job)
    if binary and len(groups[0]) != 1:
        raise ValueError(f"a binary job trains one digit, got {digits}")
    seed = training.pop("seed", None)
    jobs, copy_bytes = [], 0
    for shard, (images, labels) in enumerate(shards):
        data_text = encode_shard(images, labels)
        copy_bytes += len(data_text)
        for group in groups:
            digit_setting = {"target_digit": group[0]} if binary else {"target_digits": group}
            settings = JobSettings(shard=shard, shards=len(shards), seed=None if seed is None else seed + shard,
                                   **digit_setting, **training)
            jobs.append(PlannedJob(settings, with_settings(data_text, settings)))
    return JobPlan(jobs, copy_bytes, time.perf_counter() - started)
