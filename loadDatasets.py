"""Load the MNIST dataset for the tutorial's main node.

The main node reads the four IDX files (gzipped, as shipped in ``MNIST/``, or plain) straight
into numpy arrays for the job builder: one pass over each file checks its MD5 and parses it (a
reader building Python lists took 5 s of the main node's start for the training images). A
missing or damaged file is reported in one line that names the file and says how to get it
back, instead of a traceback from deep inside a reader.
"""
from __future__ import annotations

import gzip
import hashlib
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
        images, labels = (_read_idx(folder, name, gzipped) for name in names)
        if images.ndim != 3 or images.shape[1:] != (28, 28) or labels.ndim != 1 or len(images) != len(labels):
            raise DatasetError(f"MNIST {part} files in {folder} hold {images.shape} images and "
                               f"{labels.shape} labels, expected n x 28 x 28 images and n labels; "
                               f"{HOW_TO_RESTORE}")
        return images.reshape(len(images), 784), labels.astype(np.int64)


def _read_idx(folder: Path, name: str, gzipped: bool) -> np.ndarray:
    """The uint8 array of one IDX file, after checking it against ``MD5SUMS`` when listed there."""
    path = folder / (f"{name}.gz" if gzipped else name)
    if not path.is_file():
        raise DatasetError(f"MNIST file {path} is missing; {HOW_TO_RESTORE}")
    try:
        content = gzip.decompress(path.read_bytes()) if gzipped else path.read_bytes()
    except (OSError, EOFError, zlib.error) as error:
        raise DatasetError(f"MNIST file {path} is corrupt ({error}); {HOW_TO_RESTORE}") from error
    expected = _expected_checksums(folder).get(name)
    actual = hashlib.md5(content).hexdigest()
    if expected is not None and actual != expected:
        raise DatasetError(f"MNIST file {path} is corrupt (MD5 {actual}, expected {expected}); "
                           f"{HOW_TO_RESTORE}")
    # IDX: two zero bytes, type code 0x08 (unsigned bytes), the number of dimensions, each size as a
    # big-endian uint32, then the values
    n_dims = content[3] if len(content) >= 4 else 0
    header = 4 + 4 * n_dims
    if len(content) < header or content[:3] != b"\x00\x00\x08" or n_dims == 0:
        raise DatasetError(f"MNIST file {path} is not an IDX file of unsigned bytes; {HOW_TO_RESTORE}")
    shape = tuple(int(size) for size in np.frombuffer(content, ">u4", n_dims, 4))
    if len(content) - header != int(np.prod(shape)):
        raise DatasetError(f"MNIST file {path} holds {len(content) - header} values, its header says "
                           f"{shape}; {HOW_TO_RESTORE}")
    return np.frombuffer(content, np.uint8, offset=header).reshape(shape).copy()  # writable, like any array


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
