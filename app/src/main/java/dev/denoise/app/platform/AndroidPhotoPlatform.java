package dev.denoise.app.platform;

import android.content.Context;
import android.content.Intent;
import android.database.Cursor;
import android.graphics.Bitmap;
import android.graphics.BitmapFactory;
import android.graphics.BitmapRegionDecoder;
import android.graphics.Rect;
import android.net.Uri;
import android.provider.MediaStore;
import dev.denoise.app.photos.Orientation;
import dev.denoise.app.photos.PhotoPlatform;
import dev.denoise.app.photos.PhotoSource;
import dev.denoise.core.Progress;
import dev.denoise.core.image.PixelConversions;
import dev.denoise.core.image.PlanarImage;
import dev.denoise.core.image.TileSource;
import java.io.File;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Locale;

/**
 * Photos on Android: bounds and previews through {@link BitmapFactory} with {@code inSampleSize}
 * (never a full-size decode for a preview), full-resolution pixels through
 * {@link BitmapRegionDecoder} one tile at a time (JPEG, PNG, WebP, HEIF), the output in one
 * ARGB_8888 {@link Bitmap} filled in strips (4 bytes per pixel of native memory: 200 MB at
 * 50 MP), saved as JPEG with the original's EXIF through {@link MediaStorePhotos}.
 *
 * <p>Formats the region decoder cannot read are decoded whole when that fits
 * {@link #WHOLE_DECODE_MAX_PIXELS}; larger ones are refused with a message saying so.
 */
public final class AndroidPhotoPlatform implements PhotoPlatform {
    /** JPEG quality of saved copies. */
    public static final int JPEG_QUALITY = 95;
    /** Largest photo decoded whole when its format has no region decoder (16 MP: 64 MB). */
    public static final long WHOLE_DECODE_MAX_PIXELS = 16_000_000L;
    /** Written into saved copies' EXIF Software tag. */
    public static final String SOFTWARE = "Denoiser (dev.denoise.app)";

    private final Context context;

    public AndroidPhotoPlatform(Context context) {
        this.context = context.getApplicationContext();
    }

    @Override
    public OpenedPhoto open(PhotoSource source, long maxPixels, int previewMaxSide) throws IOException {
        BitmapFactory.Options bounds = new BitmapFactory.Options();
        bounds.inJustDecodeBounds = true;
        try (InputStream in = source.open()) {
            BitmapFactory.decodeStream(in, null, bounds);
        }
        int w = bounds.outWidth;
        int h = bounds.outHeight;
        if (w <= 0 || h <= 0) {
            throw new IOException("not a photo this phone can decode (JPEG, PNG, HEIC, WebP…)");
        }
        String mime = bounds.outMimeType == null ? "image" : bounds.outMimeType;
        if ((long) w * h > maxPixels) {
            throw new IOException(String.format(Locale.ROOT,
                    "%d × %d is %.1f MP, more than the %.0f MP this app handles", w, h, w * (double) h / 1e6,
                    maxPixels / 1e6));
        }
        int orientation;
        try (InputStream in = source.open()) {
            orientation = Orientation.normalise(ExifCopy.orientation(in));
        }
        PlanarImage preview = preview(source, w, h, previewMaxSide);
        TileSource tiles = regions(source, w, h, mime);
        return new OpenedPhoto() {
            @Override
            public int width() {
                return w;
            }

            @Override
            public int height() {
                return h;
            }

            @Override
            public int orientation() {
                return orientation;
            }

            @Override
            public String mimeType() {
                return mime;
            }

            @Override
            public TileSource tiles() {
                return tiles;
            }

            @Override
            public PlanarImage preview() {
                return preview;
            }

            @Override
            public void close() {
                if (tiles instanceof AutoCloseable c) {
                    try {
                        c.close();
                    } catch (Exception ignored) {
                        // Only frees the decoder.
                    }
                }
            }
        };
    }

    /** Decodes at the largest power-of-two subsampling that keeps the preview sharp, then scales. */
    private static PlanarImage preview(PhotoSource source, int w, int h, int maxSide) throws IOException {
        BitmapFactory.Options o = new BitmapFactory.Options();
        o.inSampleSize = 1;
        while (Math.max(w, h) / (o.inSampleSize * 2) >= maxSide) {
            o.inSampleSize *= 2;
        }
        o.inPreferredConfig = Bitmap.Config.ARGB_8888;
        Bitmap b;
        try (InputStream in = source.open()) {
            b = BitmapFactory.decodeStream(in, null, o);
        }
        if (b == null) {
            throw new IOException("the photo's pixels cannot be decoded (damaged or unsupported file)");
        }
        return toPlanar(scaleDown(b, maxSide));
    }

    private static Bitmap scaleDown(Bitmap b, int maxSide) {
        int longer = Math.max(b.getWidth(), b.getHeight());
        if (longer <= maxSide) {
            return b;
        }
        double f = maxSide / (double) longer;
        Bitmap s = Bitmap.createScaledBitmap(b, Math.max(1, (int) Math.round(b.getWidth() * f)),
                Math.max(1, (int) Math.round(b.getHeight() * f)), true);
        if (s != b) {
            b.recycle();
        }
        return s;
    }

    static PlanarImage toPlanar(Bitmap b) {
        int[] argb = new int[b.getWidth() * b.getHeight()];
        b.getPixels(argb, 0, b.getWidth(), 0, 0, b.getWidth(), b.getHeight());
        b.recycle();
        return PixelConversions.fromArgb(argb, b.getWidth(), b.getHeight());
    }

    private TileSource regions(PhotoSource source, int w, int h, String mime) throws IOException {
        BitmapRegionDecoder decoder = null;
        try (InputStream in = source.open()) {
            decoder = newRegionDecoder(in);
        } catch (IOException | RuntimeException e) {
            decoder = null;
        }
        if (decoder != null) {
            return new RegionTiles(decoder, w, h);
        }
        if ((long) w * h > WHOLE_DECODE_MAX_PIXELS) {
            throw new IOException(String.format(Locale.ROOT,
                    "%s cannot be read in tiles on this phone, and at %.1f MP it is too large to decode whole"
                            + " (limit %.0f MP for this format)", mime, w * (double) h / 1e6,
                    WHOLE_DECODE_MAX_PIXELS / 1e6));
        }
        Bitmap whole;
        try (InputStream in = source.open()) {
            whole = BitmapFactory.decodeStream(in);
        }
        if (whole == null) {
            throw new IOException("the photo's pixels cannot be decoded (damaged or unsupported file)");
        }
        return new BitmapTiles(whole);
    }

    @SuppressWarnings("deprecation")
    private static BitmapRegionDecoder newRegionDecoder(InputStream in) throws IOException {
        return android.os.Build.VERSION.SDK_INT >= 31 ? BitmapRegionDecoder.newInstance(in)
                : BitmapRegionDecoder.newInstance(in, false);
    }

    /** Full-resolution regions through the platform's region decoder. */
    private static final class RegionTiles implements TileSource, AutoCloseable {
        private final BitmapRegionDecoder decoder;
        private final int w;
        private final int h;

        RegionTiles(BitmapRegionDecoder decoder, int w, int h) {
            this.decoder = decoder;
            this.w = w;
            this.h = h;
        }

        @Override
        public int width() {
            return w;
        }

        @Override
        public int height() {
            return h;
        }

        @Override
        public int channels() {
            return 3;
        }

        @Override
        public synchronized PlanarImage read(int x, int y, int rw, int rh) {
            BitmapFactory.Options o = new BitmapFactory.Options();
            o.inPreferredConfig = Bitmap.Config.ARGB_8888;
            Bitmap b = decoder.decodeRegion(new Rect(x, y, x + rw, y + rh), o);
            if (b == null) {
                throw new IllegalStateException(String.format(Locale.ROOT,
                        "the decoder returned nothing for the region %d,%d %dx%d", x, y, rw, rh));
            }
            if (b.getWidth() != rw || b.getHeight() != rh) {
                Bitmap exact = Bitmap.createScaledBitmap(b, rw, rh, false);
                b.recycle();
                b = exact;
            }
            return toPlanar(b);
        }

        @Override
        public synchronized void close() {
            decoder.recycle();
        }
    }

    /** Regions of a photo decoded whole (formats without a region decoder, up to 16 MP). */
    private static final class BitmapTiles implements TileSource, AutoCloseable {
        private final Bitmap bitmap;

        BitmapTiles(Bitmap bitmap) {
            this.bitmap = bitmap;
        }

        @Override
        public int width() {
            return bitmap.getWidth();
        }

        @Override
        public int height() {
            return bitmap.getHeight();
        }

        @Override
        public int channels() {
            return 3;
        }

        @Override
        public PlanarImage read(int x, int y, int rw, int rh) {
            int[] argb = new int[rw * rh];
            bitmap.getPixels(argb, 0, rw, x, y, rw, rh);
            return PixelConversions.fromArgb(argb, rw, rh);
        }

        @Override
        public void close() {
            bitmap.recycle();
        }
    }

    @Override
    public PhotoOutput newOutput(int width, int height) {
        return new BitmapOutput(Bitmap.createBitmap(width, height, Bitmap.Config.ARGB_8888));
    }

    /** The denoised photo in one opaque ARGB_8888 bitmap, written in strips. */
    static final class BitmapOutput implements PhotoOutput {
        private final Bitmap bitmap;
        private int[] strip = new int[0];

        BitmapOutput(Bitmap bitmap) {
            this.bitmap = bitmap;
        }

        Bitmap bitmap() {
            return bitmap;
        }

        @Override
        public int width() {
            return bitmap.getWidth();
        }

        @Override
        public int height() {
            return bitmap.getHeight();
        }

        @Override
        public synchronized void write(int y0, PlanarImage rows) {
            int n = rows.width() * rows.height();
            if (strip.length != n) {
                strip = new int[n];
            }
            PixelConversions.toArgb(rows, null, strip);
            bitmap.setPixels(strip, 0, rows.width(), 0, y0, rows.width(), rows.height());
        }

        @Override
        public synchronized PlanarImage read(int x, int y, int w, int h) {
            int[] argb = new int[w * h];
            bitmap.getPixels(argb, 0, w, x, y, w, h);
            return PixelConversions.fromArgb(argb, w, h);
        }

        @Override
        public synchronized PlanarImage preview(int maxSide) {
            int longer = Math.max(bitmap.getWidth(), bitmap.getHeight());
            if (longer <= maxSide) {
                return read(0, 0, bitmap.getWidth(), bitmap.getHeight());
            }
            double f = maxSide / (double) longer;
            Bitmap s = Bitmap.createScaledBitmap(bitmap, Math.max(1, (int) Math.round(bitmap.getWidth() * f)),
                    Math.max(1, (int) Math.round(bitmap.getHeight() * f)), true);
            return toPlanar(s);
        }

        @Override
        public synchronized void close() {
            bitmap.recycle();
            strip = new int[0];
        }
    }

    @Override
    public String[] save(PhotoSource original, PhotoOutput output, String displayName, Progress progress)
            throws IOException {
        if (!(output instanceof BitmapOutput out)) {
            throw new IllegalArgumentException("output was not made by this platform: " + output);
        }
        File dir = new File(context.getCacheDir(), "exports");
        if (!dir.isDirectory() && !dir.mkdirs()) {
            throw new IOException("cannot create " + dir);
        }
        File tmp = File.createTempFile("photo-", ".jpg", dir);
        try {
            progress.update(0);
            try (OutputStream o = new FileOutputStream(tmp)) {
                if (!out.bitmap().compress(Bitmap.CompressFormat.JPEG, JPEG_QUALITY, o)) {
                    throw new IOException("JPEG encoding failed");
                }
            }
            progress.update(0.4);
            try (InputStream in = original.open()) {
                ExifCopy.copy(in, tmp, out.width(), out.height(), SOFTWARE);
            }
            progress.update(0.5);
            Uri item;
            try (InputStream in = new FileInputStream(tmp)) {
                item = MediaStorePhotos.insert(context.getContentResolver(), displayName, "image/jpeg", in,
                        tmp.length(), f -> progress.update(0.5 + 0.5 * f));
            }
            return new String[] {MediaStorePhotos.FOLDER + "/" + storedName(item, displayName), item.toString()};
        } finally {
            // The encoded copy in the cache is only a staging file, whatever happened.
            if (!tmp.delete() && tmp.exists()) {
                tmp.deleteOnExit();
            }
        }
    }

    /** The name MediaStore gave the item (it adds " (1)" to a name already taken), else {@code asked}. */
    private String storedName(Uri item, String asked) {
        try (Cursor c = context.getContentResolver().query(item,
                new String[] {MediaStore.MediaColumns.DISPLAY_NAME}, null, null, null)) {
            if (c != null && c.moveToFirst() && !c.isNull(0)) {
                return c.getString(0);
            }
        } catch (RuntimeException e) {
            // The item is saved; only its final name is unknown.
        }
        return asked;
    }

    @Override
    public void share(String uri, String mimeType) {
        Intent send = new Intent(Intent.ACTION_SEND)
                .setType(mimeType)
                .putExtra(Intent.EXTRA_STREAM, Uri.parse(uri))
                .addFlags(Intent.FLAG_GRANT_READ_URI_PERMISSION);
        Intent chooser = Intent.createChooser(send, "Share photo").addFlags(Intent.FLAG_ACTIVITY_NEW_TASK);
        context.startActivity(chooser);
    }
}
