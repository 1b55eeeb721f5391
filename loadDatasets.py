"""Load the MNIST dataset for the tutorial's main node.

The main node reads the four IDX files (gzipped, as shipped in ``MNIST/``, or plain) and hands
numpy arrays to the job builder. IDX is a tiny format (a big-endian header of magic number and
sizes, then the bytes), so each file is read once and viewed as an array: the checksum and the
arrays come from the same bytes, in about a tenth of a second, where a reader that builds Python
lists (``python-mnist``) took five seconds of CPU for every main node. A missing or damaged file
is reported in one line that names the file and says how to get it back.
"""
from __future__ import annotations

import gzip
import hashlib
import struct
import zlib
from pathlib import Path

import numpy as np

FILES = {
    "training": ("train-images-idx3-ubyte", "train-labels-idx1-ubyte"),
    "testing": ("t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"),
}
CHECKSUM_FILE = "MD5SUMS"
HOW_TO_RESTORE = ("restore it with `git checkout -- MNIST/` or download the MNIST IDX files "
                  "(see MNIST/README.md)")
UNSIGNED_BYTE = 0x08  # the IDX type code of MNIST's pixels and labels


class DatasetError(Exception):
    """A dataset file is missing, damaged or unreadable; the message says which and what to do."""


class loadMNIST():
    """Class to load the MNIST dataset.

    Parameters
    ----------
    dataset_path
        Folder holding the four IDX files, gzipped (``*.gz``) or not. If it holds an
        ``MD5SUMS`` file, every file is checked against it before it is used.
    """

    def __init__(self, dataset_path: str):
        self.training_images = []
        self.training_labels = []
        self.test_images = []
        self.test_labels = []
        self.dataset_path = dataset_path

    def load_training(self) -> tuple[np.ndarray, np.ndarray]:
        """Return training images (60000 x 784, uint8 gray values) and integer labels."""
        self.training_images, self.training_labels = self._load("training")
        return self.training_images, self.training_labels

    def load_testing(self) -> tuple[np.ndarray, np.ndarray]:
        """Return test images (10000 x 784, uint8 gray values) and integer labels."""
        self.test_images, self.test_labels = self._load("testing")
        return self.test_images, self.test_labels

    def _load(self, part: str) -> tuple[np.ndarray, np.ndarray]:
        folder = Path(self.dataset_path)
        if not folder.is_dir():
            raise DatasetError(f"MNIST folder {folder} does not exist; {HOW_TO_RESTORE}")
        names = FILES[part]
        gzipped = any((folder / f"{name}.gz").is_file() for name in names)
        images, labels = (_read_idx(folder, name, gzipped) for name in names)
        if images.ndim != 3 or images.shape[1:] != (28, 28) or labels.ndim != 1 or len(images) != len(labels):
            raise DatasetError(f"MNIST {part} files in {folder} hold {images.shape} images and "
                               f"{labels.shape} labels, expected n x 28 x 28 images and n labels; "
                               f"{HOW_TO_RESTORE}")
        return images.reshape(len(images), 784), labels.astype(np.int64)


def _read_idx(folder: Path, name: str, gzipped: bool) -> np.ndarray:
    """The array in one IDX file of unsigned bytes, checked against ``MD5SUMS`` when the folder has one."""
    path = folder / (f"{name}.gz" if gzipped else name)
    if not path.is_file():
        raise DatasetError(f"MNIST file {path} is missing; {HOW_TO_RESTORE}")
    try:
        raw = gzip.decompress(path.read_bytes()) if gzipped else path.read_bytes()
    except (OSError, EOFError, zlib.error) as error:
        raise DatasetError(f"MNIST file {path} is corrupt ({error}); {HOW_TO_RESTORE}") from error
    expected = _expected_checksums(folder).get(name)
    if expected is not None and (actual := hashlib.md5(raw).hexdigest()) != expected:
        raise DatasetError(f"MNIST file {path} is corrupt (MD5 {actual}, expected {expected}); "
                           f"{HOW_TO_RESTORE}")
    if len(raw) < 4 or raw[:2] != b"\0\0" or raw[2] != UNSIGNED_BYTE or len(raw) < 4 + 4 * raw[3]:
        raise DatasetError(f"MNIST file {path} is not an IDX file of unsigned bytes "
                           f"(header {raw[:4].hex()}); {HOW_TO_RESTORE}")
    dimensions = struct.unpack(f">{raw[3]}I", raw[4:4 + 4 * raw[3]])
    data = np.frombuffer(raw, dtype=np.uint8, offset=4 + 4 * len(dimensions))
    if data.size != np.prod(dimensions):
        raise DatasetError(f"MNIST file {path} holds {data.size} values, its header says {dimensions}; "
                           f"{HOW_TO_RESTORE}")
    return data.reshape(dimensions).copy()  # a writable copy, as callers may edit their arrays


def _expected_checksums(folder: Path) -> dict[str, str]:
    path = folder / CHECKSUM_FILE
    if not path.is_file():
        return {}
    sums = {}
    for line in path.read_text().splitlines():
        if line.strip():
            digest, name = line.split()
            sums[name] = digest
    return sums

