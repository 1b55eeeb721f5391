import threading

import pytest

from aml_engine.cores import CORES, map_on_cores, pieces


@pytest.mark.parametrize("count, most", [(0, 4), (1, 4), (4, 4), (5, 4), (37, 8), (10000, 4096), (20000, 4096)])
def test_pieces_cover_the_range_once_in_order_and_none_is_too_big(count, most):
    cut = pieces(count, most)
    assert [i for piece in cut for i in range(count)[piece]] == list(range(count))
    assert all(0 < piece.stop - piece.start <= most for piece in cut)
    if len(cut) > 1:
        assert len(cut) % CORES == 0
        sizes = [piece.stop - piece.start for piece in cut]
        assert max(sizes) - min(sizes) <= 1


def test_map_on_cores_keeps_the_order_and_uses_threads_when_there_are_cores():
    threads = set()

    def square(value):
        threads.add(threading.get_ident())
        return value * value

    assert map_on_cores(square, range(50)) == [value * value for value in range(50)]
    assert map_on_cores(square, []) == []
    assert (threading.get_ident() not in threads) == (CORES > 1)


def test_map_on_cores_passes_an_error_on():
    def fail(value):
        raise ValueError(f"bad {value}")

    with pytest.raises(ValueError, match="bad"):
        map_on_cores(fail, [1, 2, 3])
