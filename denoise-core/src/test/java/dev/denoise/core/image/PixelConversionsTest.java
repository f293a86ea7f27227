package dev.denoise.core.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class PixelConversionsTest {

  @Test
  void everyGrayCodeRoundTripsThroughBytesAndInts() {
    byte[] bytes = new byte[256];
    int[] ints = new int[256];
    for (int v = 0; v < 256; v++) {
      bytes[v] = (byte) v;
      ints[v] = v;
    }
    PlanarImage fromBytes = PixelConversions.fromGray(bytes, 16, 16);
    PlanarImage fromInts = PixelConversions.fromGray(ints, 16, 16);
    assertArrayEquals(bytes, PixelConversions.toGrayBytes(fromBytes, 0));
    assertArrayEquals(ints, PixelConversions.toGrayInts(fromInts, 0));
    assertArrayEquals(fromBytes.plane(0), fromInts.plane(0));
    assertEquals(1f, fromBytes.plane(0)[255]);
  }

  @Test
  void everyArgbColourRoundTripsAndAlphaIsKeptFromTheSource() {
    int[] argb = new int[1 << 16];
    for (int hi = 0; hi < 256; hi++) {
      for (int i = 0; i < argb.length; i++) {
        argb[i] = (i * 37 & 0xff) << 24 | hi << 16 | i;
      }
      PlanarImage rgb = PixelConversions.fromArgb(argb, 256, 256);
      int[] back = new int[argb.length];
      PixelConversions.toArgb(rgb, argb, back);
      assertArrayEquals(argb, back, "red=" + hi);
    }
    int[] opaque = PixelConversions.toArgb(PixelConversions.fromArgb(new int[] {0x12345678}, 1, 1));
    assertEquals(0xff345678, opaque[0]);
  }

  @Test
  void quantisationClampsAndRoundsHalfUp() {
    assertEquals(0, PixelConversions.to8Bit(-0.3f));
    assertEquals(0, PixelConversions.to8Bit(Float.NaN));
    assertEquals(255, PixelConversions.to8Bit(1.7f));
    assertEquals(128, PixelConversions.to8Bit(127.5f / 255f + 1e-6f));
    assertEquals(127, PixelConversions.to8Bit(127.4f / 255f));
  }

  @Test
  void sizeMismatchesAreReportedWithTheNumbers() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> PixelConversions.fromArgb(new int[10], 3, 4));
    assertEquals("argb has 10 pixels, expected width*height=3*4", e.getMessage());
    assertThrows(IllegalArgumentException.class,
        () -> PixelConversions.fromGray(new int[] {256}, 1, 1));
  }
}
