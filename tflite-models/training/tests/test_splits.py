import pathlib

import numpy as np
import pytest

from training import sources, splits

DATA = pathlib.Path(__file__).resolve().parents[1] / "data" / "splits"


def synthetic_groups(seed, count=60):
    rng = np.random.default_rng(seed)
    rows = []
    for g in range(count):
        for c in range(int(rng.integers(1, 40))):
            rows.append((f"speech/pkg/{g}/{c}.wav", f"speaker{g}", float(rng.uniform(0.5, 8.0))))
    return rows


@pytest.mark.parametrize("seed", range(5))
def test_speaker_groups_never_cross_splits_and_fractions_are_close(seed):
    rows = synthetic_groups(seed)
    durations = splits.group_durations(rows)
    assignment = splits.assign_groups(durations, {"train": 0.8, "val": 0.1, "test": 0.1}, seed)
    lists = splits.split_lists(rows, assignment)
    group_of = {clip: group for clip, group, _ in rows}
    seen = {s: {group_of[c] for c in ids} for s, ids in lists.items()}
    assert not (seen["train"] & seen["val"]) and not (seen["train"] & seen["test"]) and not (seen["val"] & seen["test"])
    assert sum(len(ids) for ids in lists.values()) == len(rows)
    total = sum(durations.values())
    duration_of = {clip: d for clip, _, d in rows}
    for split, fraction in (("train", 0.8), ("val", 0.1), ("test", 0.1)):
        share = sum(duration_of[c] for c in lists[split]) / total
        assert abs(share - fraction) < 0.05, (split, share)


def test_same_seed_same_split_and_seed_matters():
    rows = synthetic_groups(0)
    durations = splits.group_durations(rows)
    fractions = {"train": 0.8, "val": 0.1, "test": 0.1}
    assert splits.assign_groups(durations, fractions, 1) == splits.assign_groups(durations, fractions, 1)
    assert any(splits.assign_groups(durations, fractions, 1) != splits.assign_groups(durations, fractions, s)
               for s in range(2, 10))


def test_noise_fixed_groups_stay_put_and_val_is_disjoint():
    durations = {"pkgA": 100.0, "pkgB": 50.0, "0ad:rain": 240.0, "0ad:wind": 500.0, "0ad:farm": 90.0,
                 "0ad:port": 80.0, "0ad:river": 100.0, "0ad:wave": 90.0}
    result = splits.assign_noise_groups(durations, {"pkgA": "test", "pkgB": "train"}, 0.15, 7)
    assert result["pkgA"] == "test" and result["pkgB"] == "train"
    assert set(result) == set(durations)
    assert "val" in result.values()


def committed(kind):
    lists = {s: (DATA / f"{kind}_{s}.txt").read_text().split() for s in splits.SPLITS}
    if not all(lists.values()):
        pytest.skip(f"no committed {kind} split lists in {DATA}")
    return lists


@pytest.mark.parametrize("kind", ["speech", "noise", "ir"])
def test_committed_split_lists_are_group_disjoint(kind):
    lists = committed(kind)
    groups = {s: {sources.describe_clip_id(c).group for c in ids} for s, ids in lists.items()}
    for a, b in (("train", "val"), ("train", "test"), ("val", "test")):
        assert not (groups[a] & groups[b]), (kind, a, b, sorted(groups[a] & groups[b])[:5])
    clips = [c for ids in lists.values() for c in ids]
    assert len(clips) == len(set(clips))


def test_committed_speech_splits_are_speaker_disjoint():
    lists = committed("speech")
    speakers = {s: {sources.describe_clip_id(c).speaker for c in ids} for s, ids in lists.items()}
    assert not (speakers["train"] & speakers["test"]) and not (speakers["train"] & speakers["val"]) \
        and not (speakers["val"] & speakers["test"])


def test_committed_test_noise_comes_from_packages_unseen_in_training():
    lists = committed("noise")
    package = lambda clip: clip.split("/")[1]  # noqa: E731
    assert not ({package(c) for c in lists["test"]} & {package(c) for c in lists["train"]})


@pytest.mark.parametrize("clip_id, group", [
    ("speech/fillets-ng-data-cs/games/fillets-ng/sound/city/cs/vit-m-hlava.wav", "fillets-cs"),
    ("speech/fillets-ng-data-cs/games/fillets-ng/sound/city/cs/vit-hs-klid1.wav", "fillets-cs"),
    ("speech/fillets-ng-data-nl/games/fillets-ng/sound/x/nl/v-chytra.wav", "fillets-nl"),
    ("speech/klettres-data/klettres/en_GB/alpha/a.wav", "kde-edu:en"),
    ("speech/ktuberling-data/ktuberling/sounds/sr@latin/eye.wav", "kde-edu:sr"),
    ("speech/kajongg/kajongg/voices/de/female1/b1.wav", "kajongg:female1"),
    ("speech/tuxpaint-stamps-default/tuxpaint/stamps/animals/cat_desc_fr.wav", "tuxpaint:fr"),
    ("speech/tuxpaint-stamps-default/tuxpaint/stamps/animals/koala_desc.wav", "tuxpaint:en"),
    ("noise/0ad-data/audio/ambient/weather/windstorm_11.wav", "0ad-data:wind"),
    ("noise/0ad-data/audio/ambient/dayscape/day_temperate_gen_02.wav", "0ad-data:day_temperate"),
    ("ir/jconvolver-config-files/jconvolver/config-files/demo-reverbs/street2-L.wav", "jconvolver:street2"),
    ("ir/synthetic/room_0012.wav", "synthetic:0012"),
])
def test_groups_derived_from_paths(clip_id, group):
    assert sources.describe_clip_id(clip_id).group == group


@pytest.mark.parametrize("clip_id, speaker", [
    ("speech/fillets-ng-data-cs/games/fillets-ng/sound/city/cs/vit-m-hlava.wav", "fillets-cs:m"),
    ("speech/fillets-ng-data-cs/games/fillets-ng/sound/city/cs/vit-hs-klid1.wav", "fillets-cs:minor"),
    ("speech/fillets-ng-data-nl/games/fillets-ng/sound/x/nl/v-chytra.wav", "fillets-nl:v"),
    ("speech/kajongg/kajongg/voices/de/female1/b1.wav", "kajongg:de:female1"),
])
def test_speakers_derived_from_paths(clip_id, speaker):
    assert sources.describe_clip_id(clip_id).speaker == speaker
