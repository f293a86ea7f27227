"""tools/comparison_table.py: the MAC counter, the image merge and the voice winner rule."""
import json
import os
import sys

import numpy as np
import pytest

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))
import comparison_table as ct  # noqa: E402

tf = pytest.importorskip("tensorflow")


def save_tflite(model, path):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as f:
        f.write(tf.lite.TFLiteConverter.from_keras_model(model).convert())


def test_dense_cost_counts_weights_and_macs(tmp_path):
    model = tf.keras.Sequential([tf.keras.Input((10,), batch_size=1), tf.keras.layers.Dense(5, bias_initializer="ones")])
    path = str(tmp_path / "dense.tflite")
    save_tflite(model, path)
    assert ct.tflite_cost(path) == (10 * 5 + 5, 10 * 5)


def test_conv_cost_scales_with_output_size(tmp_path):
    model = tf.keras.Sequential([tf.keras.Input((8, 8, 2), batch_size=1),
                                 tf.keras.layers.Conv2D(4, 3, padding="same", bias_initializer="ones")])
    path = str(tmp_path / "conv.tflite")
    save_tflite(model, path)
    assert ct.tflite_cost(path) == (4 * 3 * 3 * 2 + 4, 8 * 8 * 4 * 3 * 3 * 2)


def image_row(set_name, image, sigma, noisy, **methods):
    row = {"set": set_name, "image": image, "sigma": str(sigma), "noisy_psnr": str(noisy), "noisy_ssim": "0.5"}
    for m, p in methods.items():
        row[m + "_psnr"], row[m + "_ssim"] = str(p), "0.8"
    return row


def test_image_merge_takes_neural_columns_and_checks_the_noisy_images():
    classic = [image_row("BSD68", "a.png", 25, 20.0, nlm=26.0, bm3d=28.0),
               image_row("BSD68", "b.png", 25, 21.0, nlm=27.0, bm3d=29.0)]
    neural = [dict(image_row("BSD68", "a.png", 25, 20.0, bm3d=99.0), **{"neural-f32_psnr": "30", "neural-f32_ssim": "0.9"}),
              dict(image_row("BSD68", "b.png", 25, 21.0, bm3d=99.0), **{"neural-f32_psnr": "28", "neural-f32_ssim": "0.9"})]
    merged = ct.merge_image(classic, neural)
    cell = merged[("BSD68", 25.0)]
    assert [p for p, _ in cell["bm3d"]] == [28.0, 29.0]  # the copy in the neural file is ignored
    assert [p for p, _ in cell["neural-f32"]] == [30.0, 28.0]
    table = "\n".join(ct.image_markdown(merged))
    assert "**29.00 / 0.9000**" in table and "| 28.50 / 0.8000 |" in table
    neural[1]["noisy_psnr"] = "21.5"
    with pytest.raises(ValueError, match="not the same noisy image"):
        ct.merge_image(classic, neural)


def bundle(models, folder, width, stated_params=None):
    """A bundled 'model' whose float32 graph costs 42 * width MACs per frame."""
    model = tf.keras.Sequential([tf.keras.Input((42,), batch_size=1), tf.keras.layers.Dense(width, bias_initializer="ones")])
    save_tflite(model, os.path.join(models, folder, "model.tflite"))
    with open(os.path.join(models, folder, "manifest.json"), "w") as f:
        json.dump({"bytes": 1, "sha256": "0" * 64, "algorithmic_latency_ms": 20,
                   **({"params": stated_params} if stated_params is not None else {})}, f)


def voice_result(pesq):
    snrs = {"0": None, "mean": None}
    table = {m: {k: {"pesq": p, "stoi": 0.8, "si_sdr": 5.0} for k in snrs} for m, p in pesq.items()}
    cost = [{"method": "neural-float32", "us_per_frame": 300.0}, {"method": "neural-crn", "us_per_frame": 900.0}]
    return {"table": table, "meta": {}, "cost": {"java": cost}}


def test_the_winner_is_the_best_model_inside_the_budget(tmp_path):
    models = str(tmp_path)
    bundle(models, "voice_rnnoise_small_float32", 100)   # 4 200 MACs/frame
    bundle(models, "voice_crn_small_float32", 30000)     # 1.26 M MACs/frame: 0.126 GMAC/s; biases non-zero so the converter keeps them
    text = "\n".join(ct.voice_markdown(voice_result({"noisy": 1.2, "ours-float32": 1.5, "crn-float32": 2.0}),
                                       models, "voice_rnnoise_small"))
    assert "**Winner within budget: ours-float32**" in text
    assert "| crn-float32 (`voice_crn_small_float32`) | band gain | 1290000 | 1260000 | 0.1260 |" in text
    assert "not the winner" not in text
    bundle(models, "voice_crn_small_float32", 1000, stated_params=5)
    text = "\n".join(ct.voice_markdown(voice_result({"noisy": 1.2, "ours-float32": 1.5, "crn-float32": 2.0}),
                                       models, "voice_rnnoise_small"))
    assert "**Winner within budget: crn-float32**" in text and "not the winner" in text
    assert "| 43000 (manifest: 5) | 42000 |" in text


def test_an_evaluated_model_must_be_bundled(tmp_path):
    with pytest.raises(ValueError, match="no bundled model"):
        ct.voice_markdown(voice_result({"noisy": 1.2, "unet-float32": 1.5}), str(tmp_path), None)


def test_the_equal_budget_retrain_is_listed_but_never_the_winner(tmp_path):
    models, runs = str(tmp_path / "models"), str(tmp_path / "runs")
    bundle(models, "voice_rnnoise_small_float32", 100)
    bundle(runs, "voice_rnnoise_budget_float32", 100)
    result = voice_result({"noisy": 1.2, "ours-float32": 1.5, "rnnoise-budget-float32": 1.9})
    text = "\n".join(ct.voice_markdown(result, models, "voice_rnnoise_small", runs))
    assert "| rnnoise-budget-float32 (`training/runs/voice_rnnoise_budget_float32`) |" in text
    assert "table only" in text and "**Winner within budget: ours-float32**" in text
