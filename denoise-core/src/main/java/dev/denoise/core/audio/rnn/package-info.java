/**
 * The neural voice path, RNNoise style (Valin 2018, "A Hybrid DSP/Deep Learning Approach to
 * Real-Time Full-Band Speech Enhancement"): plain DSP around a small recurrent model that only
 * maps 42 features to 22 band gains.
 *
 * <pre>
 * 480 samples (10 ms, 48 kHz) ─► FeatureExtractor ─ 20 ms sqrt-Hann window, FFT 1024 → X
 *                                 │  NccfPitchEstimator (12 kHz coarse, 48 kHz fine) → T
 *                                 │  window T samples earlier → P;  BandLayout (22 triangles)
 *                                 │  → E_X, E_P, ρ_b;  42 features (FEATURE_VERSION 1)
 *                                 ▼
 *                         GainModel.infer ─► 22 gains, VAD       (TFLite GRU, or OracleGainModel)
 *                                 ▼
 *   NeuralDenoiser: release limit → PitchFilter (X += α P) → floor/mix → interpolate → X·g
 *                   → IFFT → overlap-add ─► 480 samples out, 10 ms algorithmic latency
 * </pre>
 *
 * <p>Training uses the same code: {@link dev.denoise.core.audio.rnn.TrainingFrames} runs the
 * extractor over the noisy signal and takes ideal gains {@code sqrt(E_clean / E_noisy)} and a VAD
 * target from a second extractor over the clean one ({@link
 * dev.denoise.core.audio.rnn.TrainingTargets}); {@code denoise features} writes them as float32
 * rows for Python. A model records the feature version it was trained on and the denoiser
 * refuses any other.
 */
package dev.denoise.core.audio.rnn;
