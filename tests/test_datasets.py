"""loadMNIST on the real files, and the one-line errors for missing or damaged files."""
import gzip
import shutil

import numpy as np
import pytest

from conftest import REPO
from loadDatasets import DatasetError, loadMNIST


def test_loads_the_real_mnist_files():
    images, labels = loadMNIST(str(REPO / "MNIST")).load_testing()
    assert images.shape == (10000, 784) and images.dtype == np.uint8
    assert np.bincount(labels).tolist() == [980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009]


def copy_of_mnist(tmp_path):
    folder = tmp_path / "MNIST"
    shutil.copytree(REPO / "MNIST", folder)
    return folder


def test_missing_file_is_named(tmp_path):
    folder = copy_of_mnist(tmp_path)
    (folder / "t10k-labels-idx1-ubyte.gz").unlink()
    with pytest.raises(DatasetError, match=r"t10k-labels-idx1-ubyte.gz is missing; restore it"):
        loadMNIST(str(folder)).load_testing()


def test_corrupt_file_is_named(tmp_path):
    folder = copy_of_mnist(tmp_path)
    path = folder / "t10k-labels-idx1-ubyte.gz"
    data = bytearray(gzip.decompress(path.read_bytes()))
    data[100] ^= 0xFF
    path.write_bytes(gzip.compress(bytes(data)))
    with pytest.raises(DatasetError, match=r"t10k-labels-idx1-ubyte.gz is corrupt \(MD5 [0-9a-f]{32}, expected 27ae"):
        loadMNIST(str(folder)).load_testing()


def test_truncated_gzip_is_named(tmp_path):
    folder = copy_of_mnist(tmp_path)
    path = folder / "t10k-images-idx3-ubyte.gz"
    path.write_bytes(path.read_bytes()[:1000])
    with pytest.raises(DatasetError, match=r"t10k-images-idx3-ubyte.gz is corrupt"):
        loadMNIST(str(folder)).load_testing()


def test_missing_folder_is_named(tmp_path):
    with pytest.raises(DatasetError, match=r"nowhere does not exist"):
        loadMNIST(str(tmp_path / "nowhere")).load_training()


def test_plain_files_are_read_and_a_short_one_is_named(tmp_path):
    folder = tmp_path / "plain"
    folder.mkdir()
    for name in ("t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"):
        (folder / name).write_bytes(gzip.decompress((REPO / "MNIST" / f"{name}.gz").read_bytes()))
    images, labels = loadMNIST(str(folder)).load_testing()
    expected_images, expected_labels = loadMNIST(str(REPO / "MNIST")).load_testing()
    assert np.array_equal(images, expected_images) and np.array_equal(labels, expected_labels)
    path = folder / "t10k-images-idx3-ubyte"
    path.write_bytes(path.read_bytes()[:-784])
    with pytest.raises(DatasetError, match=r"holds 7839216 values, its header says \(10000, 28, 28\)"):
        loadMNIST(str(folder)).load_testing()
    path.write_bytes(b"not an IDX file")
    with pytest.raises(DatasetError, match=r"t10k-images-idx3-ubyte is not an IDX file of unsigned bytes"):
        loadMNIST(str(folder)).load_testing()
