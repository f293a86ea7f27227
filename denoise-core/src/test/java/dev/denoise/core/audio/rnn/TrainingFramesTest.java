package dev.denoise.core.audio.rnn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.denoise.core.audio.SpeechLikeSignal;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TrainingFramesTest {
  private static final int RATE = FeatureExtractor.SAMPLE_RATE;
  private static final int BANDS = FeatureExtractor.BANDS;

  @Test
  void idealGainsWithoutNoiseAreOneWhereDefined() {
    float[] speech = SpeechLikeSignal.speech(RATE, 2, 31);
    TrainingFrames frames = TrainingFrames.compute(speech, speech);
    float[] t = frames.targets();
    int defined = 0;
    for (int f = 0; f < frames.frames(); f++) {
      for (int b = 0; b < BANDS; b++) {
        float g = t[f * TrainingTargets.COUNT + b];
        assertTrue(g == 1f || g == TrainingTargets.UNDEFINED, "frame " + f + " band " + b + ": " + g);
        defined += g == 1f ? 1 : 0;
      }
    }
    // Pauses are digital silence (undefined); the syllables fill most of the 2 s.
    assertTrue(defined > 0.5 * frames.frames() * BANDS, "defined gains: " + defined);
  }

  @Test
  void idealGainsOfNoiseAloneAreZeroAndOfAMixtureInRange() {
    float[] noise = SpeechLikeSignal.noise(RATE, 1, 0.5, false, 32);
    TrainingFrames onlyNoise = TrainingFrames.compute(new float[noise.length], noise);
    for (int f = 2; f < onlyNoise.frames(); f++) {
      for (int b = 0; b < BANDS; b++) {
        assertEquals(0f, onlyNoise.targets()[f * TrainingTargets.COUNT + b], "frame " + f);
      }
      assertEquals(0f, onlyNoise.targets()[f * TrainingTargets.COUNT + TrainingTargets.VAD]);
    }
    float[] speech = SpeechLikeSignal.speech(RATE, 1, 33);
    float[] noisy = SpeechLikeSignal.mix(speech, noise, 0);
    TrainingFrames mixed = TrainingFrames.compute(speech, noisy);
    int voiced = 0;
    for (int f = 0; f < mixed.frames(); f++) {
      for (int b = 0; b < TrainingTargets.COUNT; b++) {
        float g = mixed.targets()[f * TrainingTargets.COUNT + b];
        assertTrue(g >= 0 && g <= 1, "frame " + f + " target " + b + ": " + g);
      }
      voiced += mixed.targets()[f * TrainingTargets.COUNT + TrainingTargets.VAD] == 1f ? 1 : 0;
    }
    assertTrue(voiced > 0.4 * mixed.frames() && voiced < mixed.frames(), "voiced " + voiced);
  }

  @Test
  void vadTargetRampsBetweenMinus60AndMinus50Db() {
    assertEquals(0f, TrainingTargets.vad(0f));
    assertEquals(0f, TrainingTargets.vad(1e-6f), 1e-4f);
    assertEquals(0.5f, TrainingTargets.vad((float) Math.pow(10, -5.5)), 1e-3f);
    assertEquals(1f, TrainingTargets.vad(1e-5f), 1e-4f);
    assertEquals(1f, TrainingTargets.vad(0.1f));
  }

  @Test
  void dataIsLittleEndianRowsOfFeaturesThenTargets() throws IOException {
    float[] speech = SpeechLikeSignal.speech(RATE, 0.3, 34);
    float[] noisy = SpeechLikeSignal.mix(speech, SpeechLikeSignal.noise(RATE, 0.3, 0, false, 35), 5);
    TrainingFrames frames = TrainingFrames.compute(speech, noisy);
    assertEquals(speech.length / FeatureExtractor.HOP, frames.frames());
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    frames.writeData(bytes);
    int row = FeatureExtractor.FEATURE_COUNT + TrainingTargets.COUNT;
    assertEquals(65, row);
    assertEquals(4L * row * frames.frames(), bytes.size());
    ByteBuffer data = ByteBuffer.wrap(bytes.toByteArray()).order(ByteOrder.LITTLE_ENDIAN);
    for (int f = 0; f < frames.frames(); f++) {
      for (int i = 0; i < FeatureExtractor.FEATURE_COUNT; i++) {
        assertEquals(frames.features()[f * FeatureExtractor.FEATURE_COUNT + i], data.getFloat());
      }
      for (int i = 0; i < TrainingTargets.COUNT; i++) {
        assertEquals(frames.targets()[f * TrainingTargets.COUNT + i], data.getFloat());
      }
    }
    String header = frames.headerJson(Map.of("clean", "a \"quoted\" name.wav", "seed", "7"));
    assertTrue(header.contains("\"frames\": " + frames.frames() + ","), header);
    assertTrue(header.contains("\"feature_count\": 42,"), header);
    assertTrue(header.contains("\"target_count\": 23,"), header);
    assertTrue(header.contains("\"feature_version\": " + FeatureExtractor.FEATURE_VERSION + ","), header);
    assertTrue(header.contains("\"clean\": \"a \\\"quoted\\\" name.wav\""), header);
    assertTrue(header.startsWith("{\n") && header.endsWith("\"seed\": \"7\"\n}\n"), header);
  }

  @Test
  void refusesPairsOfDifferentLength() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> TrainingFrames.compute(new float[960], new float[961]));
    assertTrue(e.getMessage().contains("clean=960 noisy=961"), e.getMessage());
  }
}
