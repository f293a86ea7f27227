package dev.denoise.core.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.denoise.core.audio.SpeechLikeSignal;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SnrTest {

  @ParameterizedTest(name = "{0} dB")
  @ValueSource(doubles = {-5, 0, 7.5, 20})
  void mixtureSnrIsRecovered(double snrDb) {
    float[] s = SpeechLikeSignal.speech(16000, 1, 1);
    float[] est = SpeechLikeSignal.mix(s, SpeechLikeSignal.noise(16000, 1, 0.3, false, 2), snrDb);
    assertEquals(snrDb, Snr.db(s, est), 1e-3);
  }

  @Test
  void exactCopyIsInfinite() {
    float[] s = SpeechLikeSignal.speech(16000, 0.2, 3);
    assertEquals(Double.POSITIVE_INFINITY, Snr.db(s, s.clone()));
  }

  @ParameterizedTest(name = "{0} Hz")
  @ValueSource(ints = {8000, 16000, 48000})
  void segmentalSnrOfStationaryNoiseIsItsSnr(int rate) {
    // A reference without pauses and noise at a constant 10 dB: every frame is near 10 dB.
    float[] ref = SpeechLikeSignal.noise(rate, 1, 0.5, false, 4);
    float[] est = SpeechLikeSignal.mix(ref, SpeechLikeSignal.noise(rate, 1, 0, false, 5), 10);
    assertEquals(10, Snr.segmentalDb(ref, est, rate), 0.3);
  }

  @Test
  void segmentalSnrClampsEveryFrame() {
    int rate = 16000;
    float[] ref = SpeechLikeSignal.noise(rate, 0.5, 0.5, false, 6);
    float[] noise = SpeechLikeSignal.noise(rate, 0.5, 0, false, 7);
    assertEquals(Snr.SEGMENT_MAX_DB, Snr.segmentalDb(ref, ref.clone(), rate), 0);
    assertEquals(Snr.SEGMENT_MAX_DB, Snr.segmentalDb(ref, SpeechLikeSignal.mix(ref, noise, 60), rate), 0);
    assertEquals(Snr.SEGMENT_MIN_DB, Snr.segmentalDb(ref, SpeechLikeSignal.mix(ref, noise, -40), rate), 0);
  }

  @Test
  void segmentalSnrRisesWithSnrOnSpeechAndStaysInRange() {
    int rate = 16000;
    float[] s = SpeechLikeSignal.speech(rate, 2, 8);
    float[] noise = SpeechLikeSignal.noise(rate, 2, 0.9, true, 9);
    double previous = Double.NEGATIVE_INFINITY;
    for (double snr = -10; snr <= 30; snr += 10) {
      double seg = Snr.segmentalDb(s, SpeechLikeSignal.mix(s, noise, snr), rate);
      assertTrue(seg > previous, "segSNR " + seg + " at " + snr + " dB after " + previous);
      assertTrue(seg >= Snr.SEGMENT_MIN_DB && seg <= Snr.SEGMENT_MAX_DB, "range: " + seg);
      if (snr >= 0) {
        // Pauses are frames at -10 dB, so above the floor segSNR sits below the global SNR.
        assertTrue(seg < snr, "segSNR " + seg + " below global " + snr);
      }
      previous = seg;
    }
  }

  @Test
  void rejectsBadInputWithTheNumbers() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Snr.db(new float[3], new float[4]));
    assertTrue(e.getMessage().contains("reference=3"), e.getMessage());
    IllegalArgumentException shortSignal = assertThrows(IllegalArgumentException.class,
        () -> Snr.segmentalDb(new float[100], new float[100], 16000));
    assertTrue(shortSignal.getMessage().contains("480-sample"), shortSignal.getMessage());
    assertThrows(IllegalArgumentException.class,
        () -> Snr.segmentalDb(new float[1000], new float[1000], 0));
  }
}
