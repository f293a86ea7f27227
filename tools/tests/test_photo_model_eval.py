"""tools/photo-model-eval: classic-file loading, the Python metrics (against the SSIM/PSNR
reference the Java metrics are tested on) and the Python runner on the shipped photo models."""
import csv
import importlib.machinery
import importlib.util
import os

import numpy as np
import pytest

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
PARITY = os.path.join(REPO, "denoise-core", "src", "test", "resources", "ssim-parity")
MODELS = os.path.join(REPO, "tflite-models", "src", "main", "resources", "models", "photo")

skimage_io = pytest.importorskip("skimage.io")


def load_tool():
    loader = importlib.machinery.SourceFileLoader("photo_model_eval", os.path.join(REPO, "tools", "photo-model-eval"))
    spec = importlib.util.spec_from_loader("photo_model_eval", loader)
    module = importlib.util.module_from_spec(spec)
    loader.exec_module(module)
    return module


pme = load_tool()
HEADER = "set,image,sigma,seed,noisy_psnr,noisy_ssim,bm3d_psnr,bm3d_ssim"


def write(path, lines):
    path.write_text("\n".join(lines) + "\n")
    return str(path)


def test_classic_rows_from_several_files_keep_the_common_columns(tmp_path):
    a = write(tmp_path / "a.csv", ["# a comment, with a comma", HEADER + ",nlm_psnr,nlm_ssim",
                                   "BSD68,test001.png,15,1015000,24.8,0.72,27.8,0.79,27.3,0.79", "",
                                   "| set | sigma |"])
    b = write(tmp_path / "b.csv", [HEADER, "CBSD68,101085.png,25,1025000,20.5,0.41,27.7,0.80"])
    rows, columns = pme.load_classic([a, b])
    assert columns == ["bm3d"]
    assert set(rows) == {("BSD68", "test001.png", 15.0), ("CBSD68", "101085.png", 25.0)}
    assert rows[("CBSD68", "101085.png", 25.0)]["bm3d_psnr"] == "27.7"


def test_a_row_in_two_classic_files_is_refused(tmp_path):
    a = write(tmp_path / "a.csv", [HEADER, "BSD68,test001.png,15,1015000,24.8,0.72,27.8,0.79"])
    b = write(tmp_path / "b.csv", [HEADER, "BSD68,test001.png,15,1015000,24.8,0.72,27.9,0.79"])
    with pytest.raises(ValueError, match="test001.png sigma 15 is in .*twice"):
        pme.load_classic([a, b])


def test_classic_files_without_a_method_column_are_refused(tmp_path):
    a = write(tmp_path / "a.csv", ["set,image,sigma,seed,noisy_psnr,noisy_ssim", "BSD68,test001.png,15,1,24.8,0.72"])
    with pytest.raises(ValueError, match="no classic method columns"):
        pme.load_classic([a])


def parity_pairs():
    with open(os.path.join(PARITY, "reference.csv")) as f:
        return [r for r in csv.DictReader(f) if r["kind"] == "synthetic"]


@pytest.mark.parametrize("pair", parity_pairs(), ids=lambda r: r["pair"])
def test_python_scores_match_the_reference_the_java_metrics_match(pair):
    ref = skimage_io.imread(os.path.join(PARITY, pair["reference"]))
    test = skimage_io.imread(os.path.join(PARITY, pair["test"]))
    psnr, ssim = pme.python_scores(ref, test)
    assert psnr == pytest.approx(float(pair["psnr_db"]), abs=1e-6)
    assert ssim == pytest.approx(float(pair["ssim"]), abs=1e-6)


def test_python_scores_psnr_of_a_constant_offset_and_shape_mismatch():
    clean = np.full((20, 30, 3), 100, np.uint8)
    psnr, ssim = pme.python_scores(clean, clean + 5)
    assert psnr == pytest.approx(10 * np.log10(255.0 ** 2 / 25.0))
    assert pme.python_scores(clean, clean) == (float("inf"), 1.0)
    with pytest.raises(ValueError, match="differ in shape"):
        pme.python_scores(clean, clean[:, :, 0])


@pytest.mark.parametrize("precision", ["float32", "int8"])
def test_python_runner_denoises_gray_and_colour_at_their_own_size(precision):
    pytest.importorskip("tensorflow")
    model = pme.TfliteModel(os.path.join(MODELS, "photo_ffdnet_small_" + precision))
    y, x = np.mgrid[0:37, 0:50]
    clean = np.stack([80 + 2 * x, 60 + 3 * y, 150 + x - y], -1).astype(np.float64)
    rng = np.random.default_rng(7)
    noisy = np.clip(np.rint(clean + rng.normal(0, 25, clean.shape)), 0, 255).astype(np.uint8)
    for image, target in ((noisy, clean), (noisy[..., 1], clean[..., 1])):
        out = model(image, 25.0)
        assert out.dtype == np.uint8 and out.shape == image.shape
        before = pme.python_scores(target.astype(np.uint8), image)[0]
        after = pme.python_scores(target.astype(np.uint8), out)[0]
        assert after > before + 6, (precision, image.ndim, before, after)
