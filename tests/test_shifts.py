"""One-pixel shifts of images, the read-out's extra fit images and the five-view classifier."""
import numpy as np

from aml_engine.multiclass import MulticlassClassifier
from aml_engine.readout import softmax
from aml_jobs.shifts import ONE_PIXEL, ShiftAveraged, shifted, with_shifted_copies


def test_shifted_moves_every_pixel_one_step_and_blanks_the_edge_it_leaves():
    image = np.arange(784, dtype=np.int64).reshape(1, 784) % 251 + 1
    square = image.reshape(28, 28)
    right = shifted(image, 1, 0).reshape(28, 28)
    assert np.array_equal(right[:, 1:], square[:, :-1]) and not right[:, 0].any()
    up = shifted(image, 0, -1).reshape(28, 28)
    assert np.array_equal(up[:-1], square[1:]) and not up[-1].any()
    assert np.array_equal(shifted(shifted(image, 1, 0), -1, 0).reshape(28, 28)[:, :-1], square[:, :-1])


def test_shifted_copies_follow_the_images_with_their_labels():
    rng = np.random.default_rng(0)
    images = rng.random((50, 784)) > 0.7
    labels = rng.integers(0, 10, 50)
    more, more_labels = with_shifted_copies(images, labels, copies=2, seed=1)
    assert more.shape == (150, 784) and more.dtype == bool
    assert np.array_equal(more[:50], images) and np.array_equal(more_labels, np.tile(labels, 3))
    for copy in (more[50:100], more[100:]):
        moves = [[np.array_equal(copy[i], shifted(images[i:i + 1], *move)[0]) for move in ONE_PIXEL]
                 for i in range(50)]
        assert all(any(row) for row in moves)  # every copy is its image moved one pixel


class PixelCounts:
    """A stand-in per-digit model whose misses are the ink pixels outside its own region of columns."""

    def __init__(self, digit):
        self.columns = np.zeros((28, 28), bool)
        self.columns[:, 2 * digit:2 * digit + 8] = True
        self.n_features_ = 784

    def decision_function(self, X):
        return (np.asarray(X).reshape(-1, 28, 28) & ~self.columns).sum(axis=(1, 2))


def test_five_views_average_the_probabilities_of_the_classifier():
    rng = np.random.default_rng(2)
    X = rng.random((40, 784)) > 0.8
    classifier = MulticlassClassifier.from_binary_models({digit: PixelCounts(digit) for digit in range(10)})
    averaged = ShiftAveraged(classifier)
    views = [X] + [shifted(X, *move) for move in ONE_PIXEL]
    expected = np.mean([softmax(classifier.decision_function(view)) for view in views], axis=0)
    assert np.allclose(averaged.decision_function(X), expected)
    assert np.array_equal(averaged.predict(X), expected.argmax(axis=1))
    assert np.array_equal(averaged.misses(X), classifier.misses(X)) and averaged.rule_ == classifier.rule_
    assert averaged.decision_function(X[:0]).shape == (0, 10) and averaged.predict(X[:0]).shape == (0,)
