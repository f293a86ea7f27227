package dev.denoise.core.audio.rnn;

/**
 * The learned part of the neural voice path: per 10 ms frame, band gains and a voice activity
 * probability from one feature vector. The core never sees how it is computed (a TensorFlow Lite
 * GRU, a replay of ideal gains, a fixed test value).
 *
 * <p>Shapes: {@link #infer} reads {@code features[0, featureCount())} (the layout of
 * {@link FeatureExtractor}, version {@link #featureVersion()}) and writes
 * {@code gains[0, bandCount())}, one gain per band of {@link BandLayout#rnnoise} in [0, 1]
 * (1 keeps the band, 0 removes it).
 *
 * <p>State: a model is recurrent. The implementation owns its state (for example GRU hidden
 * vectors); each {@link #infer} call advances it by one frame, so one instance serves one stream
 * and frames must come in order. {@link #reset} returns it to the state before the first frame.
 *
 * <p>Threads: one thread at a time. {@link #infer} runs on the audio thread and must not
 * allocate, lock, log or do I/O. {@link #close} releases native resources (interpreter,
 * delegate); closing twice is safe; no other call is allowed after it.
 */
public interface GainModel extends AutoCloseable {

  /** {@link FeatureExtractor#FEATURE_VERSION} of the features this model expects. */
  int featureVersion();

  /** Length of the feature vector, {@link FeatureExtractor#FEATURE_COUNT} for version 1. */
  int featureCount();

  /** Number of band gains, {@link FeatureExtractor#BANDS}. */
  int bandCount();

  /**
   * Runs one frame: reads {@code features}, writes {@code gains}, advances the recurrent state.
   *
   * @return the probability that the frame holds voice, in [0, 1]
   */
  float infer(float[] features, float[] gains);

  /** Clears the recurrent state, as before the first frame. */
  void reset();

  /** Releases the model's resources; idempotent. */
  @Override
  void close();
}
