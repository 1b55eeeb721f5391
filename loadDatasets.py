"""Load the MNIST dataset for the tutorial's main node.

The main node reads the four IDX files (gzipped, as shipped in ``MNIST/``, or plain) through
``python-mnist`` and hands numpy arrays to the job builder. A missing or damaged file is reported
in one line that names the file and says how to get it back, instead of a traceback from deep
inside the reader.
"""
from __future__ import annotations

import gzip
import hashlib
import zlib
from pathlib import Path

import numpy as np
from mnist.loader import MNIST

FILES = {
    "training": ("train-images-idx3-ubyte", "train-labels-idx1-ubyte"),
    "testing": ("t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"),
}
CHECKSUM_FILE = "MD5SUMS"
HOW_TO_RESTORE = ("restore it with `git checkout -- MNIST/` or download the MNIST IDX files "
                  "(see MNIST/README.md)")


class DatasetError(Exception):
    """A dataset file is missing, damaged or unreadable; the message says which and what to do."""


class loadMNIST():
    """Class to load the MNIST dataset.

    Parameters
    ----------
    dataset_path
        Folder holding the four IDX files, gzipped (``*.gz``) or not. If it holds an
        ``MD5SUMS`` file, every file is checked against it before it is read.
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
        for name in names:
            self._check_file(folder, name, gzipped)
        reader = MNIST(str(folder), gz=gzipped)
        try:
            images, labels = reader.load_training() if part == "training" else reader.load_testing()
        except (OSError, EOFError, ValueError, zlib.error) as error:
            raise DatasetError(f"cannot read MNIST {part} files in {folder}: {error}; "
                               f"{HOW_TO_RESTORE}") from error
        images = np.array(images, dtype=np.uint8)
        labels = np.array(labels, dtype=np.int64)
        if images.ndim != 2 or images.shape[1] != 784 or len(images) != len(labels):
            raise DatasetError(f"MNIST {part} files in {folder} hold {images.shape} images and "
                               f"{len(labels)} labels, expected n x 784 images and n labels; "
                               f"{HOW_TO_RESTORE}")
        return images, labels

    @staticmethod
    def _check_file(folder: Path, name: str, gzipped: bool) -> None:
        path = folder / (f"{name}.gz" if gzipped else name)
        if not path.is_file():
            raise DatasetError(f"MNIST file {path} is missing; {HOW_TO_RESTORE}")
        expected = _expected_checksums(folder).get(name)
        if expected is None:
            return
        try:
            actual = _md5_of_contents(path, gzipped)
        except (OSError, EOFError, zlib.error) as error:
            raise DatasetError(f"MNIST file {path} is corrupt ({error}); {HOW_TO_RESTORE}") from error
        if actual != expected:
            raise DatasetError(f"MNIST file {path} is corrupt (MD5 {actual}, expected {expected}); "
                               f"{HOW_TO_RESTORE}")


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


def _md5_of_contents(path: Path, gzipped: bool) -> str:
    digest = hashlib.md5()
    with (gzip.open(path, "rb") if gzipped else open(path, "rb")) as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()
