"""Fresh mixtures (``data.train.refresh_every``) and clean examples (``data.clean_p``) of the
voice training data, on the smoke test's generated corpus (no real corpus needed)."""

import json
import os
import pathlib
import shutil

import numpy as np
import pytest

from training import smoke, voice_dataset
from training.mixing import MixConfig, active_snr_db

SMALL = pathlib.Path(__file__).resolve().parents[1] / "configs" / "voice_rnnoise_small.json"
FRESH = pathlib.Path(__file__).resolve().parents[1] / "configs" / "voice_rnnoise_fresh.json"


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    root = tmp_path_factory.mktemp("corpus")
    smoke.build_corpus(root)
    return root


def builder(corpus, seed=1001, clean=None, augment="small", mix=None):
    aug = json.loads(SMALL.read_text())["data"]["augment"] if augment == "small" else augment
    return voice_dataset.ExampleBuilder(corpus, "train", seed, 3.0, (0.1, 1.0), mix or MixConfig(),
                                        augment=aug, clean=clean)


def test_refresh_seed_keeps_the_train_seed_for_refresh_0_and_derives_distinct_seeds():
    assert voice_dataset.refresh_seed(1001, 0) == 1001
    seeds = [voice_dataset.refresh_seed(1001, k) for k in range(1, 50)]
    assert len(set(seeds)) == len(seeds) and 1001 not in seeds
    assert seeds == [voice_dataset.refresh_seed(1001, k) for k in range(1, 50)]
    assert voice_dataset.refresh_seed(1002, 1) != voice_dataset.refresh_seed(1001, 1)
    with pytest.raises(ValueError):
        voice_dataset.refresh_seed(1001, -1)


def test_refresh_window_slides_by_one_refresh_per_block():
    w = [voice_dataset.refresh_window(e, 10, 2) for e in (0, 9, 10, 19, 20, 35)]
    assert w == [[0, 1], [0, 1], [1, 2], [1, 2], [2, 3], [3, 4]]
    assert voice_dataset.refresh_window(7, 3) == [2]
    with pytest.raises(ValueError):
        voice_dataset.refresh_window(0, 0)


def test_refreshes_give_new_examples_and_the_same_refresh_gives_the_same_ones(corpus):
    a = [builder(corpus, voice_dataset.refresh_seed(1001, k)).example(0) for k in (1, 2)]
    again = builder(corpus, voice_dataset.refresh_seed(1001, 1)).example(0)
    assert not np.array_equal(a[0].mixture, a[1].mixture)
    assert a[0].metadata["seed"] != a[1].metadata["seed"]
    np.testing.assert_array_equal(a[0].mixture, again.mixture)
    np.testing.assert_array_equal(a[0].target, again.target)
    # Over several indices the draws differ, not just the seed: SNRs, levels, clips.
    snr = lambda k: [builder(corpus, voice_dataset.refresh_seed(1001, k)).example(i).metadata["snr_db"]
                     for i in range(4)]
    assert all(x != y for x, y in zip(snr(1), snr(2)))


def test_refresh_0_is_the_fixed_split(corpus):
    fixed = builder(corpus, 1001).example(3)
    fresh = builder(corpus, voice_dataset.refresh_seed(1001, 0)).example(3)
    np.testing.assert_array_equal(fixed.mixture, fresh.mixture)


# The default builder's first examples as drawn before the clean and refresh options existed
# (commit 7710168): SNR, level, clips, and sums of |mixture| and |target|.
PINNED = [
    (19.41565115578224, -11.735972240118869, ["speech/synthetic/train2_1.wav"], "noise/synthetic/train0.wav",
     1962.6838612081701, 1746.1850903933287),
    (19.234693125662872, -15.089943813555312, ["speech/synthetic/train3_1.wav"], "noise/synthetic/train1.wav",
     940.0057282778478, 773.6109774515935),
    (-1.194287259728728, -3.84462576828712, ["speech/synthetic/train3_2.wav"], "babble:5",
     8164.844810932467, 1661.3228998074046),
]


@pytest.mark.parametrize("clean", [None, {}, {"p": 0.0, "snr_db": (30.0, 50.0), "noise_free_p": 1.0}])
def test_defaults_leave_the_examples_of_existing_configs_unchanged(corpus, clean):
    b = builder(corpus, 1001, clean=clean)
    for i, (snr, peak, speech, noise, mix_sum, target_sum) in enumerate(PINNED):
        ex = b.example(i)
        m = ex.metadata
        assert m["snr_db"] == pytest.approx(snr, abs=1e-9)
        assert m["peak_dbfs"] == pytest.approx(peak, abs=1e-9)
        assert (m["speech_ids"], m["noise_id"]) == (speech, noise)
        assert "clean_example" not in m
        assert float(np.sum(np.abs(ex.mixture), dtype=np.float64)) == pytest.approx(mix_sum, rel=1e-5)
        assert float(np.sum(np.abs(ex.target), dtype=np.float64)) == pytest.approx(target_sum, rel=1e-5)


def test_existing_configs_do_not_set_the_new_options():
    # The two fresh-mixture experiments use them on purpose; every other config (the shipped
    # one included) must draw the examples it drew before the options existed.
    fresh = {FRESH.name, "voice_rnnoise_sdr_fresh.json"}
    for path in SMALL.parent.glob("voice_rnnoise_*.json"):
        if path.name in fresh:
            continue
        data = json.loads(path.read_text())["data"]
        assert voice_dataset.clean_option(data) is None, path.name
        assert not data["train"].get("refresh_every"), path.name


@pytest.mark.parametrize("index", range(6))
def test_clean_examples_have_the_stated_snr(corpus, index):
    ex = builder(corpus, 7, clean={"p": 1.0, "snr_db": (30.0, 50.0), "noise_free_p": 0.0}).example(index)
    assert ex.metadata["clean_example"] == "low_noise"
    assert 30.0 <= ex.metadata["snr_db"] <= 50.0
    assert active_snr_db(ex.speech, ex.noise) == pytest.approx(ex.metadata["snr_db"], abs=0.1)
    np.testing.assert_allclose(ex.mixture, ex.speech + ex.noise, atol=1e-6)


@pytest.mark.parametrize("index", range(3))
def test_noise_free_examples_have_no_noise(corpus, index):
    ex = builder(corpus, 7, clean={"p": 1.0, "snr_db": (30.0, 50.0), "noise_free_p": 1.0}).example(index)
    assert ex.metadata["clean_example"] == "noise_free"
    assert not np.any(ex.noise)
    np.testing.assert_array_equal(ex.mixture, ex.speech)
    assert np.max(np.abs(ex.mixture)) <= 1.0


def test_clean_fraction_and_the_other_examples_keep_their_draws(corpus):
    clean = {"p": 0.5, "snr_db": (30.0, 50.0), "noise_free_p": 0.5}
    with_clean, plain = builder(corpus, 11, clean=clean), builder(corpus, 11)
    kinds = []
    for i in range(16):
        ex = with_clean.example(i)
        kinds.append(ex.metadata["clean_example"])
        ref = plain.example(i)
        assert ex.metadata["speech_ids"] == ref.metadata["speech_ids"]
        assert ex.metadata["peak_dbfs"] == ref.metadata["peak_dbfs"]
        if kinds[-1] is None:
            np.testing.assert_array_equal(ex.mixture, ref.mixture)
            assert -5.0 <= ex.metadata["snr_db"] <= 20.0
    assert 3 <= sum(k is not None for k in kinds) <= 13  # p = 0.5 over 16 draws
    assert "noise_free" in kinds and "low_noise" in kinds


def test_clean_option_reads_the_config():
    assert voice_dataset.clean_option({"clean_p": 0}) is None
    opt = voice_dataset.clean_option(json.loads(FRESH.read_text())["data"])
    assert opt == {"p": 0.2, "snr_db": (30.0, 50.0), "noise_free_p": 0.25}


def test_fresh_config_keeps_the_shipped_model_block_and_validation():
    small, fresh = (json.loads(p.read_text()) for p in (SMALL, FRESH))
    assert fresh["model"] == small["model"]
    assert fresh["data"]["val"] == small["data"]["val"]
    assert fresh["data"]["train"]["refresh_every"] >= 1


def find_jar():
    env = os.environ.get("DENOISE_JAR")
    return pathlib.Path(env) if env else pathlib.Path(__file__).resolve().parents[3] / "cli" / "target" / "denoise.jar"


def test_build_from_config_builds_the_refresh_window_with_the_java_features(corpus, tmp_path):
    jar = find_jar()
    if not jar.is_file() or shutil.which("java") is None:
        pytest.skip(f"needs java and a built {jar} (mvn -pl cli -am package), or DENOISE_JAR")
    config = json.loads(FRESH.read_text())
    config["data"].update(example_s=3.0)
    config["data"]["train"].update(count=2, refresh_every=3, refresh_keep=2)
    config["data"]["val"].update(count=1)
    built = voice_dataset.build_from_config(config, corpus, tmp_path, jar, log=lambda m: None)
    assert built["train"]["refreshes"] == [0, 1] and built["train"]["count"] == 4
    seeds = [json.loads(l)["base_seed"] for r in (0, 1)
             for l in (tmp_path / f"train_refresh_{r:03d}" / "train" / "examples.jsonl").read_text().splitlines()]
    assert seeds == [1001, 1001] + [voice_dataset.refresh_seed(1001, 1)] * 2
    frames = voice_dataset.load_split(built["train"]["prefixes"])
    assert len(frames["features"]) == 4
    assert not np.array_equal(frames["features"][0], frames["features"][2])
    later = voice_dataset.build_from_config(config, corpus, tmp_path, jar, log=lambda m: None, refreshes=[1, 2])
    assert later["train"]["refresh_seeds"] == [voice_dataset.refresh_seed(1001, k) for k in (1, 2)]
    # the same refresh reused from the scratch folder gives the same frames
    again = voice_dataset.load_split(later["train"]["prefixes"][:2])
    np.testing.assert_array_equal(again["features"][0], frames["features"][2])


@pytest.mark.parametrize("talkers", [(9, 9), (2, 3)])
def test_babble_talkers_sets_how_many_clips_a_babble_sums(corpus, talkers):
    aug = dict(json.loads(SMALL.read_text())["data"]["augment"], babble_p=1.0, babble_talkers=list(talkers))
    for i in range(4):
        m = builder(corpus, 1001, augment=aug).example(i).metadata
        count = len(m["augmentation"]["babble_ids"])
        assert talkers[0] <= count <= talkers[1], m["augmentation"]
        assert m["noise_id"] == f"babble:{count}"
