"""Photo corpus bookkeeping: pinned sources and the photo-level split. No downloads."""

import numpy as np
import pytest

from training import photo_corpus as pc
from training import photo_sources as ps


def test_split_is_seeded_disjoint_and_complete():
    ids = [f"pkg/photo{i}" for i in range(70)]
    a = pc.split_ids(ids)
    b = pc.split_ids(list(reversed(ids)))
    assert a == b
    assert not set(a["train"]) & set(a["val"])
    assert sorted(a["train"] + a["val"]) == sorted(ids)
    assert len(a["val"]) == round(70 * pc.VAL_FRACTION)
    assert pc.split_ids(ids, seed=1) != a


def test_photo_ids_are_unique_and_every_debian_photo_has_a_pinned_package():
    ids = [p.photo_id for p in ps.DEBIAN_PHOTOS] + [w[0] for w in ps.WHEEL_PHOTOS]
    assert len(ids) == len(set(ids))
    assert len(ps.DEBIAN_PHOTOS) == 55
    for p in ps.DEBIAN_PHOTOS:
        assert p.package in ps.PACKAGES
        assert len(p.package.sha256) == 64
        assert 2 <= p.factor <= 4


def test_benchmarks_are_not_sources():
    text = " ".join(p.path for p in ps.DEBIAN_PHOTOS) + " ".join(w[1] for w in ps.WHEEL_PHOTOS)
    assert "BSD" not in text and "shared/data/images" not in text


@pytest.mark.parametrize("image,expected", [
    (np.array([[0.0, 1.0]]), [[0, 255]]),
    (np.array([[0, 128, 255]], np.uint8), [[0, 128, 255]]),
    (np.array([[0.0, 127.6, 255.0]]), [[0, 128, 255]]),
])
def test_to_uint8_handles_unit_and_byte_ranges(image, expected):
    out = pc.to_uint8(image)
    assert out.dtype == np.uint8
    assert out.tolist() == expected
