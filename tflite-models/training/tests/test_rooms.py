import numpy as np
import pytest

from training import rooms


@pytest.mark.parametrize("seed", range(8))
def test_synthetic_ir_has_drawn_direct_path_and_drr(seed):
    ir, draw = rooms.synthetic_ir(np.random.default_rng(seed), 48000)
    direct = int(round(draw.predelay_s * 48000))
    assert int(np.argmax(np.abs(ir))) == direct
    assert ir[direct] == pytest.approx(1.0, abs=0.2)
    reverberant = np.sum(ir[direct + 1:].astype(np.float64) ** 2)
    assert 10 * np.log10(ir[direct] ** 2 / reverberant) == pytest.approx(draw.drr_db, abs=1.0)
    assert ir.size == pytest.approx((draw.predelay_s + 1.2 * draw.rt60_s) * 48000, abs=2)
    assert np.all(ir[:direct] == 0) and np.all(np.isfinite(ir))


def test_late_energy_decays_at_about_the_drawn_rt60():
    ir, draw = rooms.synthetic_ir(np.random.default_rng(3), 48000)
    direct = int(round(draw.predelay_s * 48000))
    tail = ir[direct + int(0.06 * 48000):].astype(np.float64) ** 2
    # energy of successive 50 ms windows falls by ~60 dB per RT60 (mid band dominates)
    w = int(0.05 * 48000)
    levels = 10 * np.log10([np.sum(tail[i:i + w]) for i in range(0, tail.size - w, w)])
    slope_db_per_s = np.polyfit(np.arange(levels.size) * 0.05, levels, 1)[0]
    assert -60 / (0.6 * draw.rt60_s) < slope_db_per_s < -60 / (1.2 * draw.rt60_s)


def test_same_seed_same_ir():
    a, _ = rooms.synthetic_ir(np.random.default_rng(11), 48000)
    b, _ = rooms.synthetic_ir(np.random.default_rng(11), 48000)
    np.testing.assert_array_equal(a, b)
