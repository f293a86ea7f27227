package dev.denoise.core.audio.wav;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.denoise.core.audio.SpeechLikeSignal;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WavFilesTest {
  private static final long SEED = 7L;

  @TempDir Path dir;

  @Test
  void clipsRoundTripThroughFloat32ExactlyAndPcm16WithinHalfAnLsb() throws IOException {
    float[] left = SpeechLikeSignal.speech(16000, 0.5, SEED);
    float[] right = SpeechLikeSignal.noise(16000, 0.5, 0.5, false, SEED + 1);
    for (int i = 0; i < right.length; i++) {
      right[i] *= 0.1f;
    }
    AudioClip clip = new AudioClip(16000, new float[][] {left, right});
    Path f32 = dir.resolve("f32.wav");
    WavFiles.write(f32, clip, WavEncoding.FLOAT32);
    AudioClip back = WavFiles.read(f32);
    assertEquals(16000, back.sampleRate());
    assertEquals(2, back.channelCount());
    assertArrayEquals(left, back.channel(0));
    assertArrayEquals(right, back.channel(1));

    Path s16 = dir.resolve("s16.wav");
    WavFiles.write(s16, clip);
    AudioClip q = WavFiles.read(s16);
    try (WavReader r = WavReader.open(s16)) {
      assertEquals(WavEncoding.PCM_S16, r.format().encoding(), "the default encoding");
    }
    for (int c = 0; c < 2; c++) {
      for (int i = 0; i < left.length; i++) {
        assertEquals(clip.channel(c)[i], q.channel(c)[i], 0.5f / 32768, "c=" + c + " i=" + i);
      }
    }
    assertThrows(FileAlreadyExistsException.class,
        () -> WavFiles.write(s16, clip, WavEncoding.PCM_S16));
  }

  @Test
  void aTruncatedFileLoadsTheFramesPresent() throws IOException {
    Path file = dir.resolve("t.wav");
    float[] x = new float[1000];
    Arrays.fill(x, 0.5f);
    WavFiles.write(file, AudioClip.mono(8000, x), WavEncoding.PCM_S16);
    byte[] whole = Files.readAllBytes(file);
    Files.write(file, Arrays.copyOf(whole, whole.length - 601)); // 300.5 frames short.
    AudioClip clip = WavFiles.read(file);
    assertEquals(699, clip.frameCount());
    assertEquals(0.5f, clip.channel(0)[698]);
  }

  @Test
  void clipsCheckTheirShape() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new AudioClip(8000, new float[][] {new float[3], new float[2]}));
    assertEquals("channel 1 has 2 samples, channel 0 has 3", e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> new AudioClip(0, new float[1][1]));
    assertThrows(IllegalArgumentException.class, () -> new AudioClip(8000, new float[0][]));
  }
}
