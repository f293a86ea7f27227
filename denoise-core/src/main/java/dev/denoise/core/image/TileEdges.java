package dev.denoise.core.image;

/**
 * Which sides of a tile are the image's own border. The other sides carry context pixels that
 * {@link ImageTiler} read around the tile's core (at least its halo) and will discard, so a
 * denoiser that extends its input (the neural one mirrors by its receptive radius) needs to do
 * so only on these sides.
 */
public record TileEdges(boolean left, boolean top, boolean right, boolean bottom) {
  /** A whole image: every side is the border. */
  public static final TileEdges WHOLE = new TileEdges(true, true, true, true);
}
