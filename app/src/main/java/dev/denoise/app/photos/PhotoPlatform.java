package dev.denoise.app.photos;

import dev.denoise.core.Progress;
import dev.denoise.core.image.PlanarImage;
import dev.denoise.core.image.RowSink;
import dev.denoise.core.image.TileSource;
import java.io.IOException;

/**
 * What the photos flow needs from the phone: decoding (full resolution only by regions), an output
 * written in strips, saving and sharing. Called from the controller's background thread, except
 * {@link #share}, which runs on the main thread.
 */
public interface PhotoPlatform {

    /**
     * An opened photo. Full-resolution pixels are only read by region ({@link #tiles()}), so a
     * 50 MP photo never sits in memory at once; {@link #preview()} is a downsampled copy.
     */
    interface OpenedPhoto extends AutoCloseable {
        /** Stored width and height in pixels (before EXIF rotation). */
        int width();

        int height();

        /** The EXIF orientation (1–8, 1 when the photo has none): how it is turned and mirrored for display ({@link Orientation}). */
        int orientation();

        /** MIME type as decoded, e.g. "image/jpeg". */
        String mimeType();

        /** RGB regions at full resolution, values in [0, 1]. */
        TileSource tiles();

        /** The whole photo downsampled so its longer side is at most the requested preview side. */
        PlanarImage preview();

        @Override
        void close();
    }

    /** Full-resolution denoised pixels, written top to bottom in strips by the tiler. */
    interface PhotoOutput extends RowSink, AutoCloseable {
        int width();

        int height();

        /** A region at full resolution, values in [0, 1] (for the 100 % comparison). */
        PlanarImage read(int x, int y, int w, int h);

        /** The output downsampled so its longer side is at most {@code maxSide}. */
        PlanarImage preview(int maxSide);

        @Override
        void close();
    }

    /**
     * Opens {@code source}.
     *
     * @param maxPixels photos with more pixels are refused with an {@link IOException} that names
     *     the size and the limit
     * @param previewMaxSide longer side of {@link OpenedPhoto#preview()}
     * @throws IOException when the photo cannot be decoded (the message says why)
     */
    OpenedPhoto open(PhotoSource source, long maxPixels, int previewMaxSide) throws IOException;

    /** A blank output of the given size. */
    PhotoOutput newOutput(int width, int height) throws IOException;

    /**
     * Saves {@code output} as a new JPEG named {@code displayName} in Pictures/Denoised, with the
     * original's EXIF (orientation included) copied in. The item stays pending (invisible to other
     * apps) until completely written and is deleted if anything fails or {@code progress} cancels;
     * an existing file is never replaced and {@code original} is only read.
     *
     * @return where the user finds it (e.g. "Pictures/Denoised/x (denoised).jpg") and the item's
     *     URI for sharing, as {@code [where, uri]}
     * @throws java.util.concurrent.CancellationException when {@code progress} cancels (nothing
     *     is left behind)
     */
    String[] save(PhotoSource original, PhotoOutput output, String displayName, Progress progress)
            throws IOException;

    /** Offers the saved item to other apps (the system share sheet). */
    void share(String uri, String mimeType);
}
